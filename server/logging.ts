/**
 * Structured logs with pino: the logger factory and one line per request (method, route, status,
 * duration, request id, source server, error code). Headers are never logged, so the token never is.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { Metrics } from './prometheus.js';

/** How long a log line may wait in the buffer at low traffic before it is written. */
const LOG_FLUSH_MS = 1000;

/**
 * Creates the process logger: JSON lines on stdout, buffered up to 4 KiB and then written synchronously
 * (pino's own default is synchronous; handing each 4 KiB to a worker thread cost more CPU per line and held
 * megabytes of pending lines under load), flushed every LOG_FLUSH_MS so a quiet server's lines appear within
 * a second (call `logger.flush()` before exiting); or to the given destination.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sms-command-api' },
    redact: { paths: ['token', 'secret', 'headers["x-auth-token"]', 'req.headers["x-auth-token"]'], censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  const logger = pino(options, pino.destination({ dest: 1, sync: true, minLength: 4096 }));
  setInterval(() => logger.flush(), LOG_FLUSH_MS).unref();
  return logger;
}

/** What the one line of a request says, besides its method and route. */
export interface RequestLine {
  requestId: string;
  status: number;
  source: string | undefined;
  errorCode: string | undefined;
  tokenId: string | undefined;
}

const routeLoggers = new WeakMap<Logger, Map<string, Logger>>();

/**
 * The logger of one route's request lines: a child of `logger` with the method and route bound, which pino
 * serialises once instead of on every line. Only for matched routes (a bounded set): an unmatched path is
 * the client's text, logged as a field (`requestContext`).
 */
export function routeLogger(logger: Logger, method: string, route: string): Logger {
  let byRoute = routeLoggers.get(logger);
  if (!byRoute) routeLoggers.set(logger, (byRoute = new Map()));
  const key = `${method} ${route}`;
  let child = byRoute.get(key);
  if (!child) byRoute.set(key, (child = logger.child({ method, route })));
  return child;
}

/** Logs the one line of a request that started at `started` (process.hrtime.bigint()) with its route's logger, and counts it as `operation`. */
export function logRequest(log: Logger, metrics: Pick<Metrics, 'request'> | undefined, operation: string, line: RequestLine, started: bigint): void {
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  // written out, not spread from `line`: pino serialises an object literal's shape at half the cost (`npm run bench:profile`)
  const { requestId, status, source, errorCode, tokenId } = line;
  const entry = { requestId, status, source, errorCode, tokenId, durationMs: Math.round(durationMs * 1000) / 1000 };
  if (line.status >= 500) log.error(entry, 'request');
  else log.info(entry, 'request');
  metrics?.request(operation, line.status, durationMs / 1000);
}

/** Gives every request an id (X-Request-Id on the response), logs one line when it finishes, and counts it. */
export function requestContext(logger: Logger, metrics?: Pick<Metrics, 'request'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const route = req.route?.path as string | undefined;
      // an unmatched path is the client's text: logged as a field, never a key of the route loggers
      const log = route === undefined ? logger.child({ method: req.method, route: req.path }) : routeLogger(logger, req.method, route);
      const line = { requestId, status: res.statusCode, source: res.locals.source, errorCode: res.locals.errorCode, tokenId: res.locals.tokenId };
      logRequest(log, metrics, res.locals.operation ?? route ?? 'unmatched', line, started);
    });
    next();
  };
}
