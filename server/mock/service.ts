/**
 * The stateful mock: the real implementation as a development service for Agent developers. State is in
 * memory (SQLite `:memory:`), the docs' example source server is registered, and one Agent token, one
 * admin token and one Agent access key (AK/SK, for signed requests) are accepted (random, or fixed by the
 * caller). Commands are queued through the admin API,
 * exactly as in production; unregistered source servers get 404 and a missing or wrong token 401.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { issueAccessKey, issueToken, MAX_TOKEN_LENGTH } from '../auth.js';
import { systemClock } from '../clock.js';
import { composeServer } from '../compose.js';
import { loadConfig } from '../config.js';
import { createHttpServer } from '../httpServer.js';
import { ACTIONS } from '../permissions.js';
import { newSealingKey, parseSealingKeys, ringSealer } from '../sealing.js';
import { openSqliteStore } from '../store/sqlite.js';

/** The source server of the API reference's examples, registered in every mock. */
export const EXAMPLE_SOURCE_SERVER = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';

export interface MockOptions {
  /** 0: any free port. Always on 127.0.0.1. */
  port: number;
  /** Source servers besides the example one. */
  sources: string[];
  agentToken?: string | undefined;
  adminToken?: string | undefined;
  /** The access key (AK and SK) to accept for signed Agent requests; default: a random pair. */
  accessKey?: { accessKey: string; secretKey: string } | undefined;
  leaseSeconds: number;
  logger: Logger;
}

export interface RunningMock {
  url: string;
  sources: string[];
  agentToken: string;
  adminToken: string;
  accessKey: string;
  secretKey: string;
  leaseSeconds: number;
  close(): Promise<void>;
}

/** Checks a token given on the command line: what a client can send as X-Auth-Token. */
export function checkFixedToken(option: string, token: string): string {
  if (token.length < 1 || token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(`${option} is 1 to ${MAX_TOKEN_LENGTH} visible ASCII characters, no spaces (got ${JSON.stringify(token.slice(0, 40))})`);
  }
  return token;
}

/** Starts the mock and resolves once it listens. */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const database = openSqliteStore(':memory:');
  const sealer = ringSealer(parseSealingKeys(newSealingKey('mock'), 'the mock'));
  const { app, listener, store, liveness } = composeServer({
    database,
    sealer,
    clock: systemClock,
    logger: options.logger,
    processMetrics: false,
    config: { leaseSeconds: options.leaseSeconds, bodyLimitBytes: 10240, validateResponses: true, cacheRefreshMs: 100, metrics: false, livenessFlushMs: 1000 },
  });
  const now = systemClock.now();
  const sources = [...new Set([EXAMPLE_SOURCE_SERVER, ...options.sources])];
  for (const serverId of sources) await store.addSource(serverId, serverId === EXAMPLE_SOURCE_SERVER ? 'the docs example' : null, now);
  const agent = issueToken({ name: 'mock agent', kind: 'agent', sources: null, actions: [...ACTIONS], expiresAt: null, now, ...(options.agentToken ? { secret: options.agentToken } : {}) });
  const admin = issueToken({ name: 'mock admin', kind: 'admin', sources: null, actions: [], expiresAt: null, now, ...(options.adminToken ? { secret: options.adminToken } : {}) });
  if (agent.secret === admin.secret) throw new Error('--agent-token and --admin-token must differ: a token is one or the other');
  await store.createToken(agent.record);
  await store.createToken(admin.record);
  const key = issueAccessKey({ name: 'mock agent key', sources: null, actions: [...ACTIONS], expiresAt: null, now, sealer, ...(options.accessKey ? { fixed: options.accessKey } : {}) });
  await store.createAccessKey(key.record);

  const server: Server = createHttpServer(app, loadConfig({}), listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sources,
    agentToken: agent.secret,
    adminToken: admin.secret,
    accessKey: key.record.accessKey,
    secretKey: key.secretKey,
    leaseSeconds: options.leaseSeconds,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await liveness.close();
      await store.close();
    },
  };
}

/** What the mock prints at start: where it is, its tokens, and three curl lines that run one cycle. */
export function banner(mock: RunningMock): string[] {
  const source = EXAMPLE_SOURCE_SERVER;
  const json = `-H 'Content-Type: application/json'`;
  return [
    `SMS command service, stateful mock: ${mock.url} (state in memory, gone when it stops; lease ${mock.leaseSeconds} s)`,
    `  source servers: ${mock.sources.join(', ')}`,
    `  Agent token:    ${mock.agentToken}   (X-Auth-Token of ShowCommand and UpdateCommandResult)`,
    `  admin token:    ${mock.adminToken}   (X-Auth-Token of ${mock.url}/admin/v1)`,
    `  access key:     AK ${mock.accessKey}  SK ${mock.secretKey}   (SDK-HMAC-SHA256 signatures of the Agent operations)`,
    `  docs:           ${mock.url}/docs`,
    'One cycle: queue START (admin API), poll it (Agent), report it (Agent):',
    `curl -s -H 'X-Auth-Token: ${mock.adminToken}' ${json} -d '{"command_name":"START","command_param":{"task_id":"xxxxxxxxxxxxxxxxxxxxxxxx00000001"}}' ${mock.url}/admin/v1/sources/${source}/commands`,
    `curl -s -H 'X-Auth-Token: ${mock.agentToken}' ${mock.url}/v3/sources/${source}/command`,
    `curl -s -H 'X-Auth-Token: ${mock.agentToken}' ${json} -d '{"command_name":"START","result":"success","result_detail":{"msg":"xxx"}}' ${mock.url}/v3/sources/${source}/command_result`,
  ];
}
