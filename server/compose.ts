/**
 * The composition root shared by `npm start` (main.ts), the stateful mock and the in-process test server:
 * the store wrapped for metrics and behind the read cache, the metrics, the Agent liveness batches, the
 * handlers of both contracts, the Agent admission and the bundled contracts, each made once and given to
 * the app and to the Agent contract's fast path in front of it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { routes as agentRoutes } from '../generated/routes.js';
import { adminHandlers } from './admin/handlers.js';
import { withFastPaths, type WithFastPath } from './agent/fastPath.js';
import { agentHandlers } from './agent/handlers.js';
import { createApp, type AppDeps } from './app.js';
import { agentAuth } from './auth.js';
import type { Clock } from './clock.js';
import { compileRoutes } from './compiledRoutes.js';
import type { Config } from './config.js';
import { jsonBodyReader } from './jsonParser.js';
import { createLiveness, type Liveness } from './liveness.js';
import { createMetrics, type Metrics } from './prometheus.js';
import { withReadCache, type CachedStore } from './store/cached.js';
import { withErrorCount } from './store/instrumented.js';
import type { Sealer } from './sealing.js';
import { loadBundledSpec } from './spec.js';
import type { Store } from './store/types.js';

export interface Composed {
  app: Express;
  /** What the HTTP server calls: the Agent contract's fast path, in front of the app. */
  listener: WithFastPath;
  /** What the app uses: the database store, counted for metrics, behind the read cache when it is on. */
  store: Store;
  /** The read cache (null when CACHE_REFRESH_MS is 0). */
  cache: CachedStore | null;
  metrics: Metrics | undefined;
  /** Agent polls noted in memory and written in batches; close it before the store (it writes what is left). */
  liveness: Liveness;
}

export function composeServer(deps: {
  database: Store;
  clock: Clock;
  /** Seals and opens access keys' SKs (server/sealing.ts: sealerFor). */
  sealer: Sealer;
  logger: Logger;
  config: Pick<Config, 'leaseSeconds' | 'bodyLimitBytes' | 'validateResponses' | 'cacheRefreshMs' | 'metrics' | 'livenessFlushMs'>;
  /** Process metrics (CPU, memory, event loop) as well; off in tests that build many servers. */
  processMetrics?: boolean;
  /** The fast path in front of the app (default true; the differential tests turn it off). */
  fastPath?: boolean;
  /** The validator the app uses (default: the patched release). */
  openApiValidator?: AppDeps['openApiValidator'];
}): Composed {
  const { database, clock, logger, config, sealer } = deps;
  const metrics = config.metrics ? createMetrics({ commandCounts: () => database.commandCounts(clock.now()), defaultMetrics: deps.processMetrics !== false }) : undefined;
  const counted = metrics ? withErrorCount(database, () => metrics.databaseError()) : database;
  const cache =
    config.cacheRefreshMs > 0
      ? withReadCache(counted, {
          refreshMs: config.cacheRefreshMs,
          onStatus: (status) =>
            status.ok
              ? logger.info('read cache on again: the database answers change checks')
              : logger.warn({ err: status.error }, 'read cache off: cannot check the database for changes; every request reads the database'),
          ...(metrics ? { onCheck: (check) => metrics.cacheCheck(check) } : {}),
        })
      : null;
  const store = cache ?? counted;
  const liveness = createLiveness({
    store,
    flushMs: config.livenessFlushMs,
    onError: (err, polls) => logger.warn({ err, polls }, 'could not write Agent polls (liveness); kept for the next batch'),
  });
  const recorded = config.livenessFlushMs > 0 ? { liveness } : {}; // 0: polls are not recorded
  const agent = agentHandlers({ store, cache, clock, config, ...recorded, ...(metrics ? { metrics } : {}) });
  const admin = adminHandlers({ store, now: () => clock.now(), sealer, ...recorded });
  const auth = agentAuth({ store, cache, clock, sealer, bodyLimitBytes: config.bodyLimitBytes });
  const specs = { agent: loadBundledSpec('agent'), admin: loadBundledSpec('admin') };
  const app = createApp({
    store,
    clock,
    agentAuth: auth,
    specs,
    config,
    logger,
    handlers: { agent, admin },
    ...(cache ? { readCacheStatus: () => cache.cacheStatus() } : {}),
    ...(metrics ? { metrics } : {}),
    ...(deps.openApiValidator ? { openApiValidator: deps.openApiValidator } : {}),
  });
  const listener =
    deps.fastPath === false
      ? Object.assign((req: IncomingMessage, res: ServerResponse) => void app(req as Parameters<Express>[0], res as Parameters<Express>[1]), { answered: () => 0 })
      : withFastPaths(
          {
            routes: compileRoutes(agentRoutes, specs.agent),
            handlers: agent,
            auth,
            readJson: jsonBodyReader(config.bodyLimitBytes),
            config,
            logger,
            ...(metrics ? { metrics } : {}),
          },
          app,
        );
  return { app, listener, store, cache, metrics, liveness };
}
