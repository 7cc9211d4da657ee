/** Errors a caller can branch on, with the fields of Huawei's ServiceResponseError. */
import type { ErrorBody, ForbiddenErrorBody, OperationName } from './types.js';

/** The API answered with an error status; fields come from the spec's error body and X-Request-Id. */
export class SmsApiError extends Error {
  override name = 'SmsApiError';
  readonly operation: OperationName;
  readonly status: number;
  /** SMS error code such as SMS.2001; undefined when the body was not the spec's JSON. */
  readonly errorCode: string | undefined;
  /** The error message, or the raw body text when it was not JSON. */
  readonly errorMsg: string;
  /** From the X-Request-Id response header: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** The body as received (parsed JSON, or raw text). */
  readonly body: unknown;
  readonly encodedAuthorizationMessage: string | undefined;
  readonly errorParam: string[] | undefined;
  readonly details: Array<{ errorCode: string; errorMsg: string }> | undefined;
  /** The response headers (Retry-After, X-Request-Id, ...). */
  readonly headers: Headers | undefined;

  constructor(operation: OperationName, status: number, body: unknown, requestId: string | undefined, headers?: Headers) {
    const json = typeof body === 'object' && body !== null ? (body as Partial<ForbiddenErrorBody>) : undefined;
    const errorCode = typeof json?.error_code === 'string' ? json.error_code : undefined;
    const errorMsg = typeof json?.error_msg === 'string' ? json.error_msg : typeof body === 'string' ? body : JSON.stringify(body ?? '');
    super(`${operation} failed with ${status}${errorCode ? ` ${errorCode}` : ''}: ${errorMsg || '(empty body)'}${requestId ? ` (request ${requestId})` : ''}`);
    this.operation = operation;
    this.status = status;
    this.errorCode = errorCode;
    this.errorMsg = errorMsg;
    this.requestId = requestId;
    this.body = body;
    this.encodedAuthorizationMessage = json?.encoded_authorization_message;
    this.errorParam = json?.error_param;
    this.details = json?.details?.map((d) => ({ errorCode: d.error_code, errorMsg: d.error_msg }));
    this.headers = headers;
  }
}

/** 403: the token may not perform the action; the spec's 403 body carries the authorization details. */
export class SmsForbiddenError extends SmsApiError {
  override name = 'SmsForbiddenError';
  declare readonly status: 403;
}

/** Makes the error class that fits the status. */
export function apiError(operation: OperationName, status: number, body: unknown, requestId: string | undefined, headers?: Headers): SmsApiError {
  return status === 403 ? new SmsForbiddenError(operation, status, body, requestId, headers) : new SmsApiError(operation, status, body, requestId, headers);
}

/** The request never got an answer (connection refused, reset, DNS); `cause` is the underlying error. */
export class SmsNetworkError extends Error {
  override name = 'SmsNetworkError';
  constructor(readonly operation: OperationName, cause: unknown) {
    super(`${operation}: network error: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** No answer within the timeout. */
export class SmsTimeoutError extends Error {
  override name = 'SmsTimeoutError';
  constructor(readonly operation: OperationName, readonly timeoutMs: number, cause?: unknown) {
    super(`${operation}: no answer within ${timeoutMs} ms`, { cause });
  }
}

/** The call was refused before sending: an argument breaks a rule of the spec. */
export class SmsInputError extends Error {
  override name = 'SmsInputError';
}

/** Narrows an unknown error to SmsApiError (optionally of one status). */
export function isSmsApiError(err: unknown, status?: number): err is SmsApiError {
  return err instanceof SmsApiError && (status === undefined || err.status === status);
}

/** Extra type for `ErrorBody` consumers who read `error.body`. */
export type SmsErrorBody = ErrorBody | ForbiddenErrorBody;
