/**
 * `npm start`: reads the configuration, opens the store (migrating it), listens, and shuts down cleanly on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests within SHUTDOWN_TIMEOUT_MS, close the database).
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock } from './clock.js';
import { composeServer } from './compose.js';
import { sealerFor } from './sealing.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createHttpServer, drain } from './httpServer.js';
import { createLogger } from './logging.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`sms-command-api: configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let store: Store;
  try {
    store = await openStore(config.databaseUrl);
  } catch (err) {
    console.error(`sms-command-api: cannot open the database ${redactUrl(config.databaseUrl)}: ${(err as Error).message}`);
    console.error('Check DATABASE_URL (sqlite:PATH, sqlite::memory: or postgres://...) and that the database is reachable.');
    process.exit(1);
  }
  const composed = composeServer({ database: store, clock: systemClock, logger, config, sealer: sealerFor(config.sealingKeys, config.databaseUrl) });
  const { app, listener, liveness } = composed;
  store = composed.store;
  const server = createHttpServer(app, config, listener);
  server.listen(config.port, config.host);
  server.on('error', (err) => {
    console.error(`sms-command-api: cannot listen on ${config.host}:${config.port}: ${err.message}. Set PORT to a free port.`);
    process.exit(1);
  });
  server.on('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    logger.info({ url: `http://${address}:${port}`, port, database: store.kind }, 'listening');
    logger.flush();
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests (Connection: close)');
    const force = setTimeout(() => {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'in-flight requests did not finish in time; closing connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    // an idle keep-alive connection gets a second to bring the request its client may be sending
    drain(server, Math.min(1000, config.keepAliveTimeoutMs), () => {
      clearTimeout(force);
      liveness
        .close()
        .then(() => store.close())
        .then(() => exitAfterFlush(logger, 0, 'stopped'))
        .catch((err: unknown) => exitAfterFlush(logger, 1, 'closing the database failed', err));
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // a bug that escapes every handler: log it, flush the logs, and exit (the supervisor restarts the process)
  process.on('uncaughtException', (err) => exitAfterFlush(logger, 1, 'fatal: uncaught exception', err));
  process.on('unhandledRejection', (err) => exitAfterFlush(logger, 1, 'fatal: unhandled rejection', err));
}

/** Logs the last line, writes every buffered log line out, then exits (at most 1 s later, flushed or not). */
function exitAfterFlush(logger: Logger, code: number, message: string, err?: unknown): void {
  if (err === undefined) logger.info(message);
  else logger.fatal({ err }, message);
  setTimeout(() => process.exit(code), 1000).unref();
  logger.flush(() => process.exit(code));
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

main().catch((err: unknown) => {
  console.error(`sms-command-api: failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
