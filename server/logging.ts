/**
 * Structured logs with pino: the logger factory and one line per request (method, route, status,
 * duration, request id, source server, error code). Headers are never logged, so the token never is.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';

/**
 * Creates the process logger: JSON lines on stdout, buffered (written asynchronously in chunks of 4 KiB;
 * call `logger.flush()` before exiting), or to the given destination.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sms-command-api' },
    redact: { paths: ['token', 'secret', 'headers["x-auth-token"]', 'req.headers["x-auth-token"]'], censor: '[redacted]' },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}

/** What the one line of a request says. */
export interface RequestLine {
  requestId: string;
  method: string | undefined;
  route: string;
  status: number;
  source: string | undefined;
  errorCode: string | undefined;
  tokenId: string | undefined;
}

/** Logs the one line of a request that started at `started` (process.hrtime.bigint()), and counts it as `operation`. */
export function logRequest(logger: Logger, metrics: Pick<Metrics, 'request'> | undefined, operation: string, line: RequestLine, started: bigint): void {
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const entry = { ...line, durationMs: Math.round(durationMs * 1000) / 1000 };
  if (line.status >= 500) logger.error(entry, 'request');
  else logger.info(entry, 'request');
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
      const line = {
        requestId,
        method: req.method,
        route: req.route?.path ?? req.path,
        status: res.statusCode,
        source: res.locals.source,
        errorCode: res.locals.errorCode,
        tokenId: res.locals.tokenId,
      };
      logRequest(logger, metrics, res.locals.operation ?? req.route?.path ?? 'unmatched', line, started);
    });
    next();
  };
}
