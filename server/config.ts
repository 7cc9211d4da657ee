import { parseSealingKeys } from './sealing.js';

/**
 * Server configuration from the environment, validated at start: a bad value is a ConfigError that
 * names the variable and what it accepts.
 */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  leaseSeconds: number;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  validateResponses: boolean;
  shutdownTimeoutMs: number;
  /** How often cached token lookups and idle polls are checked against the database; 0: no cache. */
  cacheRefreshMs: number;
  /** Prometheus metrics at /metrics. */
  metrics: boolean;
  /** How often Agent polls are written to the database, in one batch, for the liveness the admin API shows; 0: not recorded. */
  livenessFlushMs: number;
  /** A connection that has not sent its request headers within this time is closed. */
  headersTimeoutMs: number;
  /** A request that has not been received in full within this time gets 408 and its connection closed. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Connections above this many are refused (keep it below the process's open-file limit, ulimit -n). */
  maxConnections: number;
  /** The sealing keys of access keys' SKs (server/sealing.ts); undefined: the database's default. */
  sealingKeys: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_DATABASE_URL = 'sqlite:./data/sms.sqlite';

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${value}).`);
  return value;
}

function boolean(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}").`);
}

/** Checks that DATABASE_URL names a store this server can open. */
export function validateDatabaseUrl(url: string): string {
  if (url === 'sqlite::memory:' || /^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url)) return url;
  throw new ConfigError(
    `DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (got "${url}"). Leave it unset for ${DEFAULT_DATABASE_URL}.`,
  );
}

/** SEALING_KEYS checked (a ring of ID:BASE64 keys), or undefined when unset. */
function sealingKeys(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    parseSealingKeys(raw, 'SEALING_KEYS');
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return raw;
}

/** Reads and validates the configuration; throws ConfigError on the first bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}").`);
  }
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (host === '') throw new ConfigError('HOST must not be empty (for example 127.0.0.1 or 0.0.0.0).');
  const config: Config = {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    databaseUrl: validateDatabaseUrl(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL),
    leaseSeconds: integer(env, 'LEASE_SECONDS', 600, 1, 7 * 24 * 3600),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 10240, 256, 10 * 1024 * 1024),
    logLevel: logLevel as Config['logLevel'],
    validateResponses: boolean(env, 'VALIDATE_RESPONSES', true),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    cacheRefreshMs: integer(env, 'CACHE_REFRESH_MS', 100, 0, 60000),
    metrics: boolean(env, 'METRICS', true),
    livenessFlushMs: integer(env, 'LIVENESS_FLUSH_MS', 5_000, 0, 600_000),
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnections: integer(env, 'MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    sealingKeys: sealingKeys(env.SEALING_KEYS),
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${config.headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${config.requestTimeoutMs}).`);
  }
  return config;
}
