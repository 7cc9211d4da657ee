/**
 * createApp(deps): the Express app of the SMS Agent API. Request id and logging first; then per operation
 * one chain: auth (401/403 before validation), JSON body parsing (POST), request validation against the
 * bundled spec (400), the typed handler (404 and 200) with response validation; JSON 405 for other
 * methods on the two paths; then the side routes, a JSON 404, and the error handler last.
 */
import { existsSync, readFileSync } from 'node:fs';
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { requireAction } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { errorHandler, methodNotAllowed, notFoundHandler } from './errorHandler.js';
import { SmsError } from './errors.js';
import { showCommand, updateCommandResult } from './handlers.js';
import { sendJson } from './http.js';
import { requestContext } from './logging.js';
import { bindOperation } from './operations.js';
import { loadBundledSpec } from './spec.js';
import type { ReadCacheStatus } from './store/cached.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'leaseSeconds' | 'bodyLimitBytes' | 'validateResponses'>;
  logger: Logger;
  /** The read cache's status for /healthz, when the store has one. */
  readCacheStatus?: () => ReadCacheStatus;
}

const COMMAND_PATH = '/v3/sources/:server_id/command';
const COMMAND_RESULT_PATH = '/v3/sources/:server_id/command_result';
const DOCS_FILE = new URL('../docs/index.html', import.meta.url);

/** Builds the app; listening is the caller's business (server/main.ts, or tests on port 0). */
export function createApp(deps: AppDeps): Express {
  const { store, clock, config, logger } = deps;
  const spec = loadBundledSpec();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Every JSON response (200s, errors) in one write, without res.send's ETag and freshness work.
  app.response.json = sendJson as Express['response']['json'];

  app.use(requestContext(logger));

  // One chain per operation (fewer router layers on the hot path): auth (401/403) before validation (400),
  // the JSON parser only where there is a body, then the validator and the typed handler (404/200).
  const validator = OpenApiValidator.middleware({
    apiSpec: structuredClone(spec.document) as never,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: config.validateResponses ? { removeAdditional: false } : false,
    validateSecurity: false, // X-Auth-Token is checked by requireAction, before validation (401/403 > 400)
    fileUploader: false, // the spec has no multipart bodies: skip the validator's multipart middleware
    ignoreUndocumented: false,
  });
  const json = express.json({ limit: config.bodyLimitBytes, strict: true });
  const handlerDeps = { store, clock, config };
  app.get(COMMAND_PATH, requireAction({ store, clock }, 'sms:server:getCommand'), validator, bindOperation(showCommand(handlerDeps)));
  app.post(COMMAND_RESULT_PATH, requireAction({ store, clock }, 'sms:server:updateCommandResult'), json, validator, bindOperation(updateCommandResult(handlerDeps)));
  app.all(COMMAND_PATH, methodNotAllowed('GET'));
  app.all(COMMAND_RESULT_PATH, methodNotAllowed('POST'));

  app.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok', database: store.kind, readCache: deps.readCacheStatus?.() ?? null });
    } catch (err) {
      logger.error({ err }, 'health check failed');
      res.status(503).json({ status: 'unavailable', database: store.kind });
    }
  });
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(spec.text);
  });
  app.get('/docs', (_req, res, next) => {
    if (!existsSync(DOCS_FILE)) {
      next(new SmsError('docsNotBuilt'));
      return;
    }
    res.type('html').send(readFileSync(DOCS_FILE));
  });

  app.use(notFoundHandler);
  app.use(errorHandler({ logger, bodyLimitBytes: config.bodyLimitBytes }));
  return app;
}

