/** Express's error middlewares: the final error handler (every error as the spec's JSON), and the JSON 404 and 405. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendError } from './errorResponse.js';
import { SmsError } from './errors.js';

/** The final Express error handler: every error leaves as the spec's JSON error body. */
export function errorHandler(deps: { logger: Logger; bodyLimitBytes: number }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    res.locals.errorCode = sendError(err, { method: req.method, path: req.path, contentType: req.get('content-type'), requestId: res.locals.requestId }, res, deps);
  };
}

/** Answers a method the path does not have with a JSON 405 and Allow. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (req, _res, next) => next(new SmsError('methodNotAllowed', req.method, allow));
}

/** Answers every request no route took with a JSON 404. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new SmsError('routeNotFound'));
