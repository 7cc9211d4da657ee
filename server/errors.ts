/**
 * The one home of error handling: SMS error codes, the SmsError class handlers throw, and the mapping of
 * every error that can reach Express (validator, body parser, auth, store, bugs) to the spec's JSON body.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { components } from '../generated/schema.js';

export type ErrorBody = components['schemas']['Error'];
export type ForbiddenBody = components['schemas']['ForbiddenError'];

/** Every SMS error code this server answers with, and the status it goes with. */
export const ErrorCodes = {
  invalidParameter: { status: 400, code: 'SMS.2001' },
  malformedJson: { status: 400, code: 'SMS.2003' },
  bodyTooLarge: { status: 400, code: 'SMS.2004' },
  unsupportedContentType: { status: 400, code: 'SMS.2005' },
  missingToken: { status: 401, code: 'SMS.9001' },
  invalidToken: { status: 401, code: 'SMS.9002' },
  expiredToken: { status: 401, code: 'SMS.9003' },
  forbidden: { status: 403, code: 'SMS.9004' },
  sourceNotFound: { status: 404, code: 'SMS.2006' },
  backend: { status: 500, code: 'SMS.2007' },
  routeNotFound: { status: 404, code: 'SMS.2008' },
  methodNotAllowed: { status: 405, code: 'SMS.2009' },
} as const;

export type ErrorKind = keyof typeof ErrorCodes;

/** An error with an SMS code and a message a person can act on; thrown by handlers, auth and the store. */
export class SmsError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly forbidden?: Omit<ForbiddenBody, 'error_code' | 'error_msg'>;

  constructor(
    kind: ErrorKind,
    message: string,
    extra: { headers?: Record<string, string>; forbidden?: Omit<ForbiddenBody, 'error_code' | 'error_msg'>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'SmsError';
    this.status = ErrorCodes[kind].status;
    this.code = ErrorCodes[kind].code;
    this.headers = extra.headers ?? {};
    if (extra.forbidden) this.forbidden = extra.forbidden;
  }

  /** The JSON body of this error, within the spec's length bounds. */
  body(): ErrorBody | ForbiddenBody {
    if (this.status === 403) {
      return { error_code: this.code, error_msg: clip(this.message, 255), ...this.forbidden };
    }
    return { error_code: this.code, error_msg: clip(this.message, 1024) };
  }
}

/** Builds the 403 error of the spec (SMS.9004 with the authorization details Huawei's service returns). */
export function forbiddenError(action: string, serverId: string, reason: string): SmsError {
  const detail = `You do not have permission to perform action ${action} on resource source server ${serverId}: ${reason}`;
  return new SmsError('forbidden', clip(`The current account does not have the permission to execute policy. ${detail}`, 255), {
    forbidden: {
      encoded_authorization_message: Buffer.from(JSON.stringify({ action, resource: `sms:server:${serverId}`, reason })).toString('base64'),
      error_param: [clip(detail, 65535)],
      details: [{ error_code: ErrorCodes.forbidden.code, error_msg: clip(detail, 65535) }],
    },
  });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface ValidatorErrorItem {
  path?: string;
  message?: string;
  errorCode?: string;
}
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: ValidatorErrorItem[];
  headers?: Record<string, string>;
  limit?: number;
}

/** Renders validator error items as "body.result: must be equal to one of the allowed values: success, fail". */
function describeValidation(items: ValidatorErrorItem[] | undefined, fallback: string): string {
  if (!items || items.length === 0) return fallback;
  const parts = items.slice(0, 5).map((item) => {
    const where = (item.path ?? '').replace(/^\.?/, '').replace(/^request\./, '').replace(/\//g, '.').replace(/^\./, '');
    const what = item.message ?? 'is invalid';
    return where ? `${where} ${what}` : what;
  });
  const more = items.length > 5 ? ` (and ${items.length - 5} more)` : '';
  return `Invalid request: ${parts.join('; ')}${more}.`;
}

/** Maps anything thrown in the pipeline to an SmsError; unknown errors become SMS.2007. */
export function toSmsError(err: unknown, context: { bodyLimitBytes: number; contentType?: string | undefined }): SmsError {
  const { bodyLimitBytes } = context;
  if (err instanceof SmsError) return err;
  const e = (err ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  // body-parser (express.json)
  if (e.type === 'entity.parse.failed') {
    return new SmsError('malformedJson', `The request body is not well-formed JSON: ${e.message ?? 'parse error'}. Send a JSON object.`);
  }
  if (e.type === 'entity.too.large' || status === 413) {
    return new SmsError('bodyTooLarge', `The request body is larger than ${bodyLimitBytes} bytes; shorten result_detail.`);
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new SmsError('unsupportedContentType', `The request body must be UTF-8 JSON: ${e.message ?? 'unsupported encoding'}.`);
  }
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid') {
    return new SmsError('malformedJson', `The request body was incomplete: ${e.message ?? 'aborted'}.`);
  }
  // express-openapi-validator
  if (status === 415) {
    return new SmsError('unsupportedContentType', `The request body must be sent with Content-Type: application/json (got ${context.contentType ?? 'no Content-Type'}).`);
  }
  if (status === 400) {
    return new SmsError('invalidParameter', describeValidation(e.errors, e.message ?? 'Invalid request.'));
  }
  if (status === 405) {
    return new SmsError('methodNotAllowed', `${e.message ?? 'Method not allowed'}; allowed: ${e.headers?.Allow ?? 'see the API reference'}.`, {
      headers: e.headers?.Allow ? { Allow: e.headers.Allow } : {},
    });
  }
  if (status === 404) {
    return new SmsError('routeNotFound', 'No such API. The SMS Agent API has GET /v3/sources/{server_id}/command and POST /v3/sources/{server_id}/command_result.');
  }
  return new SmsError('backend', 'Backend exception; retry the request. If it persists, report the X-Request-Id of this response.', { cause: err });
}

/** The final Express error handler: every error leaves as the spec's JSON error body. */
export function errorHandler(deps: { logger: Logger; bodyLimitBytes: number }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const smsError = toSmsError(err, { bodyLimitBytes: deps.bodyLimitBytes, contentType: req.get('content-type') });
    if (smsError.status >= 500) {
      deps.logger.error({ err, requestId: res.locals.requestId, method: req.method, path: req.path }, 'request failed with a backend exception');
    }
    res.locals.errorCode = smsError.code;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(smsError.headers)) res.setHeader(name, value);
    res.status(smsError.status).json(smsError.body());
  };
}

/** Answers a method the path does not have with a JSON 405 and Allow. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (req, _res, next) => {
    next(new SmsError('methodNotAllowed', `${req.method} method not allowed; allowed: ${allow}.`, { headers: { Allow: allow } }));
  };
}

/** Answers every request no route took with a JSON 404. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new SmsError('routeNotFound', 'No such API. The SMS Agent API has GET /v3/sources/{server_id}/command and POST /v3/sources/{server_id}/command_result.'));
};
