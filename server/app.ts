/**
 * createApp(deps): the Express app of the SMS command service. Request id and logging first; then both
 * contracts mounted from their generated route tables, each operation with one chain: auth (401/403
 * before validation), JSON body parsing where the operation takes a body, request validation against its
 * bundled contract (400), the typed handler with response validation; JSON 405 for other methods on each
 * path. Then the side routes, a JSON 404, and the error handler last. (A signed Agent request's body is
 * read by auth, since its signature covers it; the body parser then gets the bytes it read.)
 */
import { existsSync, readFileSync } from 'node:fs';
import express, { type Express, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { routes as adminRoutes } from '../generated/admin/routes.js';
import { routes as agentRoutes } from '../generated/routes.js';
import type { AdminHandlers } from './admin/handlers.js';
import type { AgentHandlers } from './agent/handlers.js';
import { requireAction, requireAdmin, type AgentAuth } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { errorHandler, notFoundHandler } from './expressErrors.js';
import { SmsError } from './errors.js';
import { sendJson } from './jsonResponse.js';
import { jsonBody } from './jsonParser.js';
import { requestContext } from './logging.js';
import type { Metrics } from './prometheus.js';
import { mountOperations } from './mountRoutes.js';
import { DOCS_FILE } from './projectFiles.js';
import { REQUIRED_ACTION } from './permissions.js';
import type { BundledSpec } from './spec.js';
import type { ReadCacheStatus } from './store/cached.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  /** The store admin auth and the health checks read (the handlers have theirs). */
  store: Store;
  clock: Clock;
  /** The Agent requests' admission, the one the fast path runs. */
  agentAuth: AgentAuth;
  /** Both bundled contracts, as the validators and /openapi.json serve them. */
  specs: { agent: BundledSpec; admin: BundledSpec };
  config: Pick<Config, 'bodyLimitBytes' | 'validateResponses'>;
  logger: Logger;
  /** The handlers of both contracts (server/agent/handlers.ts, server/admin/handlers.ts). */
  handlers: { agent: AgentHandlers; admin: AdminHandlers };
  /** The read cache's status for /healthz, when the store has one. */
  readCacheStatus?: () => ReadCacheStatus;
  /** Prometheus metrics, served at /metrics; absent: no metrics (METRICS=false). */
  metrics?: Metrics;
  /** express-openapi-validator (default: the release patched in patches/; the differential test passes the stock one). */
  openApiValidator?: Pick<typeof OpenApiValidator, 'middleware'>;
}

/** Names the operation a chain serves, for logs and metrics. */
const operation = (operationId: string): RequestHandler => (_req, res, next) => {
  res.locals.operation = operationId;
  next();
};

/** Request and response validation against one bundled contract (auth is ours: 401/403 come before 400). */
function validatorFor(validator: Pick<typeof OpenApiValidator, 'middleware'>, spec: BundledSpec, validateResponses: boolean): RequestHandler[] {
  return validator.middleware({
    apiSpec: structuredClone(spec.document) as never,
    // the bundle is linted and checked against the OpenAPI schema by `npm test`; validating it again at
    // every start compiled the OpenAPI meta-schema (startup time, and 4 MiB kept for the process's life)
    validateApiSpec: false,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: validateResponses ? { removeAdditional: false } : false,
    validateSecurity: false, // X-Auth-Token is checked by requireAction / requireAdmin, before validation
    fileUploader: false, // no multipart bodies: skip the validator's multipart middleware
    ignoreUndocumented: false,
  });
}

/** Builds the app; listening is the caller's business (server/main.ts, or tests on port 0). */
export function createApp(deps: AppDeps): Express {
  const { store, clock, config, logger } = deps;
  const { agent: agentSpec, admin: adminSpec } = deps.specs;
  const app = express();
  // the contract's paths exactly: Express's defaults would also serve /v3/sources/a/command/ and /V3/... (404 here)
  app.set('strict routing', true);
  app.set('case sensitive routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);
  // Every JSON response (200s, errors) in one write, without res.send's ETag and freshness work.
  app.response.json = sendJson as Express['response']['json'];

  app.use(requestContext(logger, deps.metrics));

  const json = jsonBody(config.bodyLimitBytes);

  // The Agent contract: one chain per operation (fewer router layers on the hot path).
  const validator = deps.openApiValidator ?? OpenApiValidator;
  const agentValidator = validatorFor(validator, agentSpec, config.validateResponses);
  mountOperations(app, agentRoutes, deps.handlers.agent, (operationId, route) => [
    operation(operationId),
    requireAction(deps.agentAuth, REQUIRED_ACTION[operationId]),
    ...(route.jsonBody ? json : []),
    ...agentValidator,
  ]);

  // The operator's contract: admin tokens only.
  const adminValidator = validatorFor(validator, adminSpec, config.validateResponses);
  mountOperations(app, adminRoutes, deps.handlers.admin, (operationId, route) => [
    operation(operationId),
    requireAdmin({ store, clock }),
    ...(route.jsonBody ? json : []),
    ...adminValidator,
  ]);

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
    res.type('application/json').send(agentSpec.text);
  });
  app.get('/admin/openapi.json', (_req, res) => {
    res.type('application/json').send(adminSpec.text);
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
