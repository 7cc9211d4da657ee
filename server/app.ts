/**
 * createApp(deps): the Express app of the SMS Agent API. Request id and logging first; then per operation
 * one chain: auth (401/403 before validation), JSON body parsing (POST), request validation against the
 * bundled spec (400), the typed handler (404 and 200) with response validation; JSON 405 for other
 * methods on the two paths; then the side routes, a JSON 404, and the error handler last.
 */
import { existsSync, readFileSync } from 'node:fs';
import express, { type Express, type RequestHandler } from 'express';
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
import type { Metrics } from './metrics.js';
import { jsonBody } from './jsonBody.js';
import { bindOperation } from './operations.js';
import { DOCS_FILE } from './paths.js';
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
  /** Prometheus metrics, served at /metrics; absent: no metrics (METRICS=false). */
  metrics?: Metrics;
}

const COMMAND_PATH = '/v3/sources/:server_id/command';
const COMMAND_RESULT_PATH = '/v3/sources/:server_id/command_result';

/** Names the operation a chain serves, for logs and metrics. */
const operation = (operationId: string): RequestHandler => (_req, res, next) => {
  res.locals.operation = operationId;
  next();
};

/** Builds the app; listening is the caller's business (server/main.ts, or tests on port 0). */
export function createApp(deps: AppDeps): Express {
  const { store, clock, config, logger } = deps;
  const spec = loadBundledSpec();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Every JSON response (200s, errors) in one write, without res.send's ETag and freshness work.
  app.response.json = sendJson as Express['response']['json'];

  app.use(requestContext(logger, deps.metrics));

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
  const json = jsonBody(config.bodyLimitBytes);
  const handlerDeps = { store, clock, config, ...(deps.metrics ? { metrics: deps.metrics } : {}) };
  app.get(COMMAND_PATH, operation('ShowCommand'), requireAction({ store, clock }, 'sms:server:getCommand'), validator, bindOperation(showCommand(handlerDeps)));
  app.post(COMMAND_RESULT_PATH, operation('UpdateCommandResult'), requireAction({ store, clock }, 'sms:server:updateCommandResult'), json, validator, bindOperation(updateCommandResult(handlerDeps)));
  app.all(COMMAND_PATH, methodNotAllowed('GET'));
  app.all(COMMAND_RESULT_PATH, methodNotAllowed('POST'));

  // Liveness: the process answers (a load balancer restarts it when this fails). Never touches the database.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', database: store.kind, readCache: deps.readCacheStatus?.() ?? null });
  });
  // Readiness: send traffic only while the database answers and has every migration this code needs.
  app.get('/readyz', async (_req, res) => {
    let reason: string;
    try {
      const [problem, pending] = [await store.storageProblem(), await store.pendingMigrations()];
      if (problem === null && pending === 0) {
        res.json({ status: 'ready', database: store.kind });
        return;
      }
      reason = problem ?? `${pending} database migration(s) pending: restart the server to apply them`;
    } catch (err) {
      logger.error({ err }, 'readiness check failed: the database does not answer');
      reason = `the database does not answer: ${(err as Error).message}`;
    }
    res.status(503).json({ status: 'unavailable', database: store.kind, reason });
  });
  if (deps.metrics) {
    const { registry } = deps.metrics;
    app.get('/metrics', async (_req, res, next) => {
      try {
        const text = await registry.metrics();
        res.setHeader('Content-Type', registry.contentType);
        res.end(text);
      } catch (err) {
        next(err);
      }
    });
  }
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

