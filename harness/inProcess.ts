/** The server app mounted in-process on port 0, with helpers to register sources, tokens and commands. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { composeServer } from '../server/compose.js';
import { storeAccessKey, storeToken, testSealer, type AccessKeyOptions } from './tokens.js';
import { systemClock, type Clock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import type { Sealer } from '../server/sealing.js';
import { createHttpServer, type ConnectionLimits } from '../server/httpServer.js';
import { createLogger } from '../server/logging.js';
import type { CachedStore } from '../server/store/cached.js';
import { openStore } from '../server/store/index.js';
import type { Action } from '../server/permissions.js';
import type { QueuedCommandName, Store, TokenKind } from '../server/store/types.js';
import { borrowed } from './storeDoubles.js';

export interface InProcessServer {
  baseUrl: string;
  /** The store the app uses: the given one behind the read cache (writes through it are seen at once). */
  store: Store;
  /** Makes the read cache check the database now (as its timer does every 100 ms), e.g. after breaking it. */
  refreshCache(): Promise<void>;
  /** Writes the Agent polls noted so far (as the liveness timer does every LIVENESS_FLUSH_MS). */
  flushLiveness(): Promise<void>;
  /** How many requests the ShowCommand fast path answered (the rest went through Express). */
  fastPathAnswered(): number;
  logs: string[];
  addSource(serverId: string): Promise<void>;
  token(options?: { kind?: TokenKind; sources?: string[] | null; actions?: Action[]; expiresAt?: Date | null }): Promise<{ id: string; secret: string }>;
  /** Issues an access key (AK/SK) the server checks signatures with. */
  accessKey(options?: AccessKeyOptions): Promise<{ accessKey: string; secretKey: string }>;
  enqueue(serverId: string, name: QueuedCommandName, param?: { taskId?: string; bucket?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function startInProcess(options: {
  clock?: Clock;
  databaseUrl?: string;
  store?: Store;
  leaseSeconds?: number;
  bodyLimitBytes?: number;
  validateResponses?: boolean;
  /** Prometheus metrics at /metrics (default on, as `npm start` runs). */
  metrics?: boolean;
  /** Timeouts and the connection cap (default: the configuration's defaults). */
  limits?: Partial<ConnectionLimits>;
  /** How often polls are written for liveness (default 5000, as `npm start`). */
  livenessFlushMs?: number;
  /** The ShowCommand fast path (default on, as `npm start`), and the validator the app uses (default: the patched release). */
  fastPath?: boolean;
  openApiValidator?: Parameters<typeof composeServer>[0]['openApiValidator'];
  /** The sealer of access keys' SKs (default: one with a key of its own). */
  sealer?: Sealer;
} = {}): Promise<InProcessServer> {
  const clock = options.clock ?? systemClock;
  // Composed as `npm start` composes it (read cache, metrics); a given store is the caller's to close.
  const database = options.store ? borrowed(options.store) : await openStore(options.databaseUrl ?? 'sqlite::memory:');
  const sealer = options.sealer ?? testSealer();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const { app, listener, store, cache, liveness } = composeServer({
    database,
    clock,
    sealer,
    logger: createLogger('info', sink),
    processMetrics: false,
    ...(options.fastPath === false ? { fastPath: false } : {}),
    ...(options.openApiValidator ? { openApiValidator: options.openApiValidator } : {}),
    config: {
      leaseSeconds: options.leaseSeconds ?? 600,
      bodyLimitBytes: options.bodyLimitBytes ?? 10240,
      validateResponses: options.validateResponses ?? true,
      cacheRefreshMs: 100,
      metrics: options.metrics ?? true,
      livenessFlushMs: options.livenessFlushMs ?? 5000,
    },
  });
  const cached = cache as CachedStore;
  await cached.refresh();
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(app, { ...loadConfig({}), ...options.limits }, listener);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store,
    refreshCache: () => cached.refresh(),
    flushLiveness: () => liveness.flush(),
    fastPathAnswered: () => listener.answered(),
    logs,
    async addSource(serverId) {
      await store.addSource(serverId, null, clock.now());
    },
    token: (t = {}) => storeToken(store, { ...t, now: clock.now() }),
    accessKey: (k = {}) => storeAccessKey(store, sealer, { ...k, now: clock.now() }),
    async enqueue(serverId, name, param = {}) {
      const c = await store.enqueueCommand({ serverId, name, taskId: param.taskId ?? null, bucket: param.bucket ?? null }, clock.now());
      return c.id;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await liveness.close();
      await store.close();
    },
  };
}
