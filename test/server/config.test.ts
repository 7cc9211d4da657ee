/** loadConfig(env): defaults, every variable's bounds, and a clear ConfigError that names the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: DEFAULT_DATABASE_URL,
      leaseSeconds: 600,
      bodyLimitBytes: 10240,
      logLevel: 'info',
      validateResponses: true,
      shutdownTimeoutMs: 10000,
      cacheRefreshMs: 100,
      metrics: true,
      livenessFlushMs: 5_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sms',
      LEASE_SECONDS: '30',
      BODY_LIMIT_BYTES: '4096',
      LOG_LEVEL: 'WARN',
      VALIDATE_RESPONSES: 'off',
      SHUTDOWN_TIMEOUT_MS: '0',
      CACHE_REFRESH_MS: '0',
      METRICS: 'false',
      LIVENESS_FLUSH_MS: '250',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '4000',
      KEEP_ALIVE_TIMEOUT_MS: '1000',
      MAX_CONNECTIONS: '500',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/sms',
      leaseSeconds: 30,
      bodyLimitBytes: 4096,
      logLevel: 'warn',
      validateResponses: false,
      shutdownTimeoutMs: 0,
      cacheRefreshMs: 0,
      metrics: false,
      livenessFlushMs: 250,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 500,
    });
  });

  it('accepts sqlite:PATH and sqlite::memory:, and treats an empty value as unset', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/sms/sms.sqlite' }).databaseUrl).toBe('sqlite:/var/lib/sms/sms.sqlite');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databaseUrl).toBe('sqlite::memory:');
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535 (got "eighty")'],
    ['PORT', '65536', 'PORT must be a whole number from 0 to 65535 (got 65536)'],
    ['LEASE_SECONDS', '0', 'LEASE_SECONDS must be a whole number from 1'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://'],
    ['VALIDATE_RESPONSES', 'maybe', 'VALIDATE_RESPONSES must be true or false (got "maybe")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['BODY_LIMIT_BYTES', '-5', 'BODY_LIMIT_BYTES must be a whole number from 256'],
    ['BODY_LIMIT_BYTES', '255', 'BODY_LIMIT_BYTES must be a whole number from 256 to 10485760 (got 255)'],
    ['SHUTDOWN_TIMEOUT_MS', '1.5', 'SHUTDOWN_TIMEOUT_MS must be a whole number'],
    ['CACHE_REFRESH_MS', '100000', 'CACHE_REFRESH_MS must be a whole number from 0 to 60000'],
    ['HOST', '   ', 'HOST must not be empty'],
    ['METRICS', 'sometimes', 'METRICS must be true or false (got "sometimes")'],
    ['LIVENESS_FLUSH_MS', '-1', 'LIVENESS_FLUSH_MS must be a whole number from 0 to 600000 (got "-1")'],
    ['MAX_CONNECTIONS', '0', 'MAX_CONNECTIONS must be a whole number from 1'],
    ['HEADERS_TIMEOUT_MS', '50', 'HEADERS_TIMEOUT_MS must be a whole number from 100'],
    ['HEADERS_TIMEOUT_MS', '40000', 'HEADERS_TIMEOUT_MS (40000) must not be longer than REQUEST_TIMEOUT_MS (30000)'],
  ])('%s=%s is a ConfigError naming the variable and what it accepts', (name, value, message) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
