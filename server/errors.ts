/**
 * The one table of errors, fastify-style: every error this service answers with is declared here once
 * (kind → status, SMS code, message builder). Call sites only name it: `new SmsError('sourceNotFound', id)`.
 * No SMS code or message text is written anywhere else. The codes of the Agent operations are listed
 * in the spec's description (spec/openapi.yaml) and on the docs page.
 */
import type { components } from '../generated/schema.js';

export type ErrorBody = components['schemas']['Error'];
export type ForbiddenBody = components['schemas']['ForbiddenError'];
type ForbiddenDetails = Omit<ForbiddenBody, 'error_code' | 'error_msg'>;

interface ErrorDefinition<A extends unknown[]> {
  status: number;
  code: string;
  message: (...args: A) => string;
  /** Response headers the error carries (405: Allow). */
  headers?: (...args: A) => Record<string, string>;
}

const define = <A extends unknown[]>(status: number, code: string, message: (...args: A) => string, headers?: (...args: A) => Record<string, string>): ErrorDefinition<A> =>
  headers ? { status, code, message, headers } : { status, code, message };

/** The most characters of a value the client sent that an error echoes back (a 130,000-character id made a 305 KB 403). */
export const MAX_ECHO_CHARS = 128;

/** A value the client sent, as an error message quotes it: at most MAX_ECHO_CHARS characters. */
const echo = (value: string): string => clip(value, MAX_ECHO_CHARS);

export const errors = {
  invalidParameter: define(400, 'SMS.2001', (what: string) => `Invalid request: ${what}.`),
  headersTooLarge: define(400, 'SMS.2001', (maxBytes: number, maxTokenLength: number) => `The request headers are larger than ${maxBytes} bytes; X-Auth-Token is at most ${maxTokenLength} characters.`),
  malformedHttp: define(400, 'SMS.2001', () => 'The request is not valid HTTP/1.1.'),
  missingHost: define(400, 'SMS.2001', () => 'The request has no Host header, which HTTP/1.1 requires; send Host: with the server\'s name and port.'),
  requestTimeout: define(408, 'SMS.2014', (timeoutMs: number) => `The request was not received in full within ${timeoutMs} ms; send it again.`),
  expectationFailed: define(417, 'SMS.2013', (expect: string) => `Expect: ${echo(expect)} is not supported; send the request without it (or with Expect: 100-continue).`),
  malformedJson: define(400, 'SMS.2003', (reason: string) => `The request body is not well-formed JSON: ${reason}. Send a JSON object.`),
  incompleteBody: define(400, 'SMS.2003', (reason: string) => `The request body was incomplete: ${reason}.`),
  bodyTooLarge: define(400, 'SMS.2004', (limitBytes: number) => `The request body is larger than ${limitBytes} bytes; shorten result_detail.`),
  unsupportedEncoding: define(400, 'SMS.2005', (reason: string) => `The request body must be UTF-8 JSON: ${reason}.`),
  unsupportedTransferCoding: define(400, 'SMS.2005', (coding: string) => `Transfer-Encoding: ${echo(coding)} is not supported: send the body with Content-Length, or with Transfer-Encoding: chunked alone (compress it with Content-Encoding: gzip instead).`),
  unsupportedContentType: define(400, 'SMS.2005', (got: string) => `The request body must be sent with Content-Type: application/json (got ${echo(got)}).`),
  missingToken: define(401, 'SMS.9001', () => 'The X-Auth-Token header is missing. Send the token an operator issued to you.'),
  tokenTooLong: define(401, 'SMS.9002', (maxLength: number) => `The X-Auth-Token is longer than ${maxLength} characters and cannot be valid.`),
  invalidToken: define(401, 'SMS.9002', () => 'The X-Auth-Token is not valid (unknown or revoked). Ask an operator for a new token.'),
  expiredToken: define(401, 'SMS.9003', () => 'The X-Auth-Token has expired. Ask an operator for a new token.'),
  malformedSignature: define(401, 'SMS.9005', (reason: string) => `The request's signature cannot be checked: ${reason}. Sign it as Huawei Cloud's SDKs do (SDK-HMAC-SHA256).`),
  staleSignature: define(401, 'SMS.9006', (sdkDate: string, now: string) => `X-Sdk-Date ${echo(sdkDate)} is more than 15 minutes from the server's clock (${now}); sign the request again with the right time.`),
  unknownAccessKey: define(401, 'SMS.9007', (accessKey: string) => `The access key ${echo(accessKey)} is not valid (unknown or revoked). Ask an operator for a new access key.`),
  expiredAccessKey: define(401, 'SMS.9008', (accessKey: string) => `The access key ${echo(accessKey)} has expired. Ask an operator for a new access key.`),
  signatureMismatch: define(401, 'SMS.9009', () => 'The signature does not match the request (a wrong SK, or the request was changed after it was signed).'),
  forbidden: define(403, 'SMS.9004', (action: string, serverId: string, reason: string) =>
    `The current account does not have the permission to execute policy. ${forbiddenDetail(action, serverId, reason)}`,
  ),
  adminTokenRequired: define(403, 'SMS.9004', (tokenId: string) =>
    `Token ${echo(tokenId)} is an Agent token; the operator's API takes an admin token (\`npm run admin -- tokens create --name NAME --admin\`).`,
  ),
  invalidCursor: define(400, 'SMS.2001', () => 'Invalid request: query.cursor is not a cursor this API gave out; start again without it.'),
  sourceNotFound: define(404, 'SMS.2006', (serverId: string) =>
    `Source server ${echo(serverId)} is not registered. Register it with \`npm run admin -- sources add ${echo(serverId)}\` (or POST /admin/v1/sources).`,
  ),
  sourceAlreadyRegistered: define(409, 'SMS.2010', (serverId: string) => `Source server ${echo(serverId)} is already registered.`),
  tokenNotFound: define(404, 'SMS.2011', (tokenId: string) => `No token ${echo(tokenId)}. List tokens with \`npm run admin -- tokens list\` (or GET /admin/v1/tokens).`),
  accessKeyNotFound: define(404, 'SMS.2017', (accessKey: string) => `No access key ${echo(accessKey)}. List access keys with \`npm run admin -- keys list\` (or GET /admin/v1/access_keys).`),
  commandNotFound: define(404, 'SMS.2015', (serverId: string, commandId: number) => `Source server ${echo(serverId)} has no command ${commandId}. List its commands with GET /admin/v1/sources/${echo(serverId)}/commands.`),
  commandNotCancellable: define(409, 'SMS.2016', (commandId: number, state: string) =>
    `Command ${commandId} is ${state}: only a pending command can be cancelled${state === 'leased' ? ' (its Agent has it: queue STOP to stop it)' : ''}.`,
  ),
  storageUnavailable: define(503, 'SMS.2012', (reason: string) => `The database cannot keep writes now: ${reason}. Nothing was stored; retry later.`),
  backend: define(500, 'SMS.2007', () => 'Backend exception; retry the request. If it persists, report the X-Request-Id of this response.'),
  routeNotFound: define(404, 'SMS.2008', () => 'No such API. The SMS Agent API has GET /v3/sources/{server_id}/command and POST /v3/sources/{server_id}/command_result.'),
  docsNotBuilt: define(404, 'SMS.2008', () => 'The API docs are not built. Run `npm run docs`, then reload.'),
  methodNotAllowed: define(405, 'SMS.2009', (method: string, allow: string) => `${echo(method)} method not allowed; allowed: ${allow}.`, (_method: string, allow: string) => ({ Allow: allow })),
} as const;

export type ErrorKind = keyof typeof errors;
type ErrorArgs<K extends ErrorKind> = Parameters<(typeof errors)[K]['message']>;

function forbiddenDetail(action: string, serverId: string, reason: string): string {
  return `You do not have permission to perform action ${action} on resource source server ${echo(serverId)}: ${reason}`;
}

/** An error with an SMS code and a message a person can act on; thrown by handlers, auth, the store and the CLI. */
export class SmsError<K extends ErrorKind = ErrorKind> extends Error {
  readonly kind: K;
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  private readonly args: ErrorArgs<K>;

  constructor(kind: K, ...args: ErrorArgs<K>) {
    const definition = errors[kind] as ErrorDefinition<ErrorArgs<K>>;
    super(definition.message(...args));
    this.name = 'SmsError';
    this.kind = kind;
    this.status = definition.status;
    this.code = definition.code;
    this.headers = definition.headers?.(...args) ?? {};
    this.args = args;
  }

  /** Keeps the error that led to this one (logged, never sent). */
  causedBy(cause: unknown): this {
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    return this;
  }

  /** The JSON body of this error, within the spec's length bounds (403 adds the authorization fields). */
  body(): ErrorBody | ForbiddenBody {
    if (this.kind === 'forbidden') {
      const [action, serverId, reason] = this.args as ErrorArgs<'forbidden'>;
      return { error_code: this.code, error_msg: clip(this.message, 255), ...forbiddenFields(action, serverId, reason, this.code) };
    }
    return { error_code: this.code, error_msg: clip(this.message, 1024) };
  }
}

/** The authorization details Huawei's service returns with SMS.9004. */
function forbiddenFields(action: string, serverId: string, reason: string, code: string): ForbiddenDetails {
  const detail = clip(forbiddenDetail(action, serverId, reason), 65535);
  return {
    encoded_authorization_message: Buffer.from(JSON.stringify({ action, resource: `sms:server:${echo(serverId)}`, reason })).toString('base64'),
    error_param: [detail],
    details: [{ error_code: code, error_msg: detail }],
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
