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

/** Gives every request an id (X-Request-Id on the response), logs one line when it finishes, and counts it. */
export function requestContext(logger: Logger, metrics?: Pick<Metrics, 'request'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        requestId,
        method: req.method,
        route: req.route?.path ?? req.path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
        source: res.locals.source,
        errorCode: res.locals.errorCode,
        tokenId: res.locals.tokenId,
      };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
      metrics?.request(res.locals.operation ?? req.route?.path ?? 'unmatched', res.statusCode, durationMs / 1000);
    });
    next();
  };
}
