/**
 * Anything thrown on either request path (validator, body parser, auth, store, bugs) as the spec's JSON
 * error: mapped to the error table (server/errors.ts), then sent on the response.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { SmsError } from './errors.js';

interface ValidatorErrorItem {
  path?: string;
  message?: string;
}
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: ValidatorErrorItem[];
  headers?: Record<string, string>;
}

/** Renders validator error items as "body.result must be equal to one of the allowed values: success, fail". */
function describeValidation(items: ValidatorErrorItem[] | undefined, fallback: string): string {
  if (!items || items.length === 0) return fallback.replace(/\.$/, '');
  const parts = items.slice(0, 5).map((item) => {
    const where = (item.path ?? '').replace(/^\.?/, '').replace(/^request\./, '').replace(/\//g, '.').replace(/^\./, '');
    const what = item.message ?? 'is invalid';
    return where ? `${where} ${what}` : what;
  });
  const more = items.length > 5 ? ` (and ${items.length - 5} more)` : '';
  return `${parts.join('; ')}${more}`;
}

/** Maps anything thrown in the pipeline to an SmsError; unknown errors become SMS.2007. */
export function toSmsError(err: unknown, context: { bodyLimitBytes: number; method?: string; contentType?: string | undefined }): SmsError {
  if (err instanceof SmsError) return err;
  const e = (err ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  // body-parser (express.json)
  if (e.type === 'entity.parse.failed') return new SmsError('malformedJson', e.message ?? 'parse error');
  if (e.type === 'entity.too.large' || status === 413) return new SmsError('bodyTooLarge', context.bodyLimitBytes);
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new SmsError('unsupportedEncoding', e.message ?? 'unsupported encoding');
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid') return new SmsError('incompleteBody', e.message ?? 'aborted');
  // express-openapi-validator
  if (status === 415) return new SmsError('unsupportedContentType', context.contentType ?? 'no Content-Type');
  if (status === 400) return new SmsError('invalidParameter', describeValidation(e.errors, e.message ?? 'the request does not match the API'));
  if (status === 405) return new SmsError('methodNotAllowed', context.method ?? 'this', e.headers?.Allow ?? 'see the API reference');
  if (status === 404) return new SmsError('routeNotFound');
  return new SmsError('backend').causedBy(err);
}

/**
 * Answers `err` as the spec's JSON error on `res` (a 5xx is logged with its cause), for Express's error
 * handler and for the Agent contract's fast path alike; returns the error code sent.
 */
export function sendError(
  err: unknown,
  request: { method: string; path: string; contentType: string | undefined; requestId: unknown },
  res: ServerResponse,
  deps: { logger: Logger; bodyLimitBytes: number },
): string {
  let smsError: SmsError;
  try {
    smsError = toSmsError(err, { bodyLimitBytes: deps.bodyLimitBytes, method: request.method, contentType: request.contentType });
    smsError.body(); // an error that a library decorated past use must not take this handler down
  } catch (bug) {
    smsError = new SmsError('backend').causedBy(bug);
  }
  if (smsError.status >= 500) {
    deps.logger.error({ err, requestId: request.requestId, method: request.method, path: request.path }, 'request failed with a backend exception');
  }
  if (res.headersSent) {
    res.destroy();
    return smsError.code;
  }
  for (const [name, value] of Object.entries(smsError.headers)) res.setHeader(name, value);
  const text = JSON.stringify(smsError.body());
  res.statusCode = smsError.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
  return smsError.code;
}
