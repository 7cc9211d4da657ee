/**
 * The fast paths of the Agent contract: nearly all of a fleet's traffic is Agents polling (ShowCommand)
 * and reporting (UpdateCommandResult). A request that is certainly valid is answered here, straight from
 * node:http, without Express's router and express-openapi-validator's middlewares: the same auth rules,
 * the same handlers, the same error bodies, the request body and the response validated against the same
 * bundled spec, the same log line and metrics. When the read cache holds the token and the source server's
 * idle state, a poll's whole answer is synchronous: no promise, no database.
 *
 * Anything the fast path is not sure of goes to the Express app, which answers it as if the fast path were
 * not there: another method or path, a query string, an encoded or invalid server_id, a token that does not
 * authenticate or authorize, a poll with a body, a report that is not plain UTF-8 JSON of a length within
 * the limit (those go before their body is read), and a report whose body does not parse or match the spec
 * (that one after: its bytes are handed over as express.raw would have read them).
 * The differential test (test/server/fastPath.test.ts) sends the same generated requests to both paths.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Logger } from 'pino';
import { routes, type Responses } from '../generated/routes.js';
import { acceptSignature, acceptToken, authenticate, authorize, claimOf, isSigned, presentedHash, TOKEN_HEADER, type Grant } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { sendError } from './errorHandler.js';
import { IDLE_ANSWER, showCommandAnswer, type AgentHandlers, type HandlerDeps } from './handlers.js';
import { parseJsonBytes } from './jsonBody.js';
import { logRequest, routeLogger } from './logging.js';
import type { Metrics } from './metrics.js';
import type { Sealer } from './sealing.js';
import type { SignedRequest } from './signature.js';
import { REQUIRED_ACTION } from './permissions.js';
import type { BundledSpec } from './spec.js';
import type { CachedStore } from './store/cached.js';
import type { Store, TokenRecord } from './store/types.js';

export interface FastPathDeps {
  spec: BundledSpec;
  store: Store;
  /** The read cache, when there is one: its synchronous answers make the common poll promise-free. */
  cache: Pick<CachedStore, 'peekToken' | 'peekIdle' | 'peekAccessKey'> | null;
  clock: Clock;
  /** Opens access keys' sealed SKs, to check signed requests. */
  sealer: Sealer;
  config: Pick<Config, 'leaseSeconds' | 'validateResponses' | 'bodyLimitBytes'>;
  /** What the ShowCommand answer notes: liveness, the lease metric. */
  answer: Pick<HandlerDeps, 'liveness' | 'metrics'>;
  /** The UpdateCommandResult handler, the one Express mounts. */
  report: AgentHandlers['UpdateCommandResult'];
  logger: Logger;
  metrics?: Pick<Metrics, 'request'>;
}

/** A request listener: the fast paths in front of the Express app. */
export interface WithFastPath {
  (req: IncomingMessage, res: ServerResponse): void;
  /** How many requests the fast paths answered themselves (the tests check that they are taken). */
  answered(): number;
}

type OperationId = keyof typeof routes;
type Json = Record<string, unknown>;
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** /v3/sources/{server_id}/command or /command_result, exactly: the server_id segment has no '/', '%', '?' or '#'. */
const PATH = /^\/v3\/sources\/([^/%?#]+)\/(command|command_result)$/;
/** The content types the fast path reads a report of (express.raw takes more: those go to Express). */
const PLAIN_JSON = /^application\/json(?:; ?charset=utf-8)?$/i;
const NO_BODY = Buffer.alloc(0);
/** A Content-Length in plain digits (Node has already refused a malformed one). */
const DIGITS = /^\d{1,9}$/;

/** What a request under way carries from its admission to its answer. */
interface Taken {
  operationId: OperationId;
  serverId: string;
  record: Grant;
  started: bigint;
  url: string;
  /** Given when the fast path owns the request ('' until then: Express gives its own to what it answers). */
  requestId: string;
}

/** Validators of the server_id parameter, the report's body and each operation's 200 body, compiled from the bundled spec. */
function compileChecks(spec: BundledSpec): { serverId: ValidateFunction; reportBody: ValidateFunction; okBody: Record<OperationId, ValidateFunction> } {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(spec.document as Json, 'spec');
  const pointer = (...parts: string[]) => `spec#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const json = (...parts: string[]) => ajv.compile({ $ref: pointer('paths', ...parts, 'content', 'application/json', 'schema') });
  return {
    serverId: ajv.compile({ $ref: pointer('components', 'parameters', 'ServerId', 'schema') }),
    reportBody: json(routes.UpdateCommandResult.path, 'post', 'requestBody'),
    okBody: {
      ShowCommand: json(routes.ShowCommand.path, 'get', 'responses', '200'),
      UpdateCommandResult: json(routes.UpdateCommandResult.path, 'post', 'responses', '200'),
    },
  };
}

/** An answer's body serialised, with its length in bytes. */
interface Serialised {
  text: string;
  bytes: number;
}

/** A body as JSON text, with its length in bytes. */
function serialise(body: unknown): Serialised {
  const text = JSON.stringify(body);
  return { text, bytes: Buffer.byteLength(text) };
}

/**
 * The idle answer (nearly every poll's) serialised once, after it was validated once: it is one frozen
 * object, so every poll sends the same valid bytes. Undefined when it does not match the spec: each poll then
 * takes the per-request path, which answers the validator's 500 (or, with response validation off, sends it).
 */
function serialisedIdle(okBody: ValidateFunction): Serialised | undefined {
  return okBody(IDLE_ANSWER.body) ? serialise(IDLE_ANSWER.body) : undefined;
}

/** The operation a request names, by method and path, with the headers its fast path needs; undefined: Express's. */
function admitted(req: IncomingMessage, limitBytes: number): { operationId: OperationId; serverId: string } | undefined {
  const match = PATH.exec(req.url ?? '');
  if (match === null) return undefined;
  const [, serverId, tail] = match as unknown as [string, string, string];
  const { headers } = req;
  if (tail === 'command') return req.method === 'GET' && !framed(headers) ? { operationId: 'ShowCommand', serverId } : undefined;
  return req.method === 'POST' && plainJson(headers, limitBytes) ? { operationId: 'UpdateCommandResult', serverId } : undefined;
}

/** Whether the request says it has a body. */
const framed = (headers: IncomingHttpHeaders): boolean => headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;

/** A body of plain UTF-8 JSON, not encoded, its length given and within the limit. */
function plainJson(headers: IncomingHttpHeaders, limitBytes: number): boolean {
  const length = headers['content-length'];
  return (
    length !== undefined &&
    DIGITS.test(length) &&
    Number(length) <= limitBytes &&
    headers['transfer-encoding'] === undefined &&
    headers['content-encoding'] === undefined &&
    PLAIN_JSON.test(headers['content-type'] ?? '')
  );
}

/** The token record when it authenticates at `now` and may perform the operation for `serverId`; undefined: Express answers 401 or 403. */
function authorized(found: TokenRecord | null, hash: string, now: Date, operationId: OperationId, serverId: string): TokenRecord | undefined {
  try {
    const record = acceptToken(found, hash, now);
    authorize(record, REQUIRED_ACTION[operationId], serverId);
    return record;
  } catch {
    return undefined;
  }
}

/** Reads the whole body, then `done(bytes)`; a request that breaks off is dropped (there is no one to answer). */
function readBody(req: IncomingMessage, done: (bytes: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
  req.on('error', () => req.socket.destroy());
}

/** Puts the fast paths in front of `app` (the Express app, which answers everything else). */
export function withFastPaths(deps: FastPathDeps, app: Listener): WithFastPath {
  const checks = compileChecks(deps.spec);
  const idle = serialisedIdle(checks.okBody.ShowCommand);
  const leaseMs = deps.config.leaseSeconds * 1000;
  const logs: Record<OperationId, Logger> = {
    ShowCommand: routeLogger(deps.logger, 'GET', routes.ShowCommand.expressPath),
    UpdateCommandResult: routeLogger(deps.logger, 'POST', routes.UpdateCommandResult.expressPath),
  };
  let answered = 0;
  const auth = { store: deps.store, clock: deps.clock, sealer: deps.sealer };

  /** The request is the fast path's from here: it gets its id (sent as X-Request-Id with its answer). */
  const own = (taken: Taken): void => {
    answered++;
    taken.requestId = randomUUID();
  };

  /** An operation's 200 body validated as the validator would (a 500, SMS.2007, when the spec does not allow it), then serialised. */
  const serialised = (operationId: OperationId, body: unknown): Serialised => {
    const valid = checks.okBody[operationId];
    if (deps.config.validateResponses && !valid(body)) {
      throw Object.assign(new Error(`response does not match the spec: ${JSON.stringify(valid.errors)}`), { status: 500 });
    }
    return serialise(body);
  };

  /** Sends an operation's answer (or the error it threw), validated as the validator would, then logs the request. */
  const send = (res: ServerResponse, taken: Taken, answer: () => { status: 200; body: unknown }): void => {
    let errorCode: string | undefined;
    try {
      const { body } = answer();
      const { text, bytes } = (body === IDLE_ANSWER.body ? idle : undefined) ?? serialised(taken.operationId, body);
      // all headers in one call: no setHeader bookkeeping (`npm run bench:profile`)
      res.writeHead(200, ['X-Request-Id', taken.requestId, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(bytes)]);
      res.end(text);
    } catch (err) {
      if (!res.headersSent) res.setHeader('X-Request-Id', taken.requestId);
      const method = routes[taken.operationId].method.toUpperCase();
      errorCode = sendError(err, { method, path: taken.url, contentType: undefined, requestId: taken.requestId }, res, { logger: deps.logger, bodyLimitBytes: deps.config.bodyLimitBytes });
    }
    const line = { requestId: taken.requestId, status: res.statusCode, source: taken.serverId, errorCode, tokenId: taken.record.id };
    logRequest(logs[taken.operationId], deps.metrics, taken.operationId, line, taken.started);
  };

  /** Sends what `pending` settles to. */
  const sendLater = (res: ServerResponse, taken: Taken, pending: Promise<Responses[OperationId]>): void => {
    pending
      .then(
        (answer) => send(res, taken, () => answer),
        (err: unknown) =>
          send(res, taken, () => {
            throw err;
          }),
      )
      .catch((bug: unknown) => failed(res, bug));
  };

  /** A bug past every guard (the log failing, say): logged, and the connection closed rather than left hanging. */
  const failed = (res: ServerResponse, bug: unknown): void => {
    deps.logger.error({ err: bug }, 'fast path failed');
    res.destroy();
  };

  /** ShowCommand, authorized: the idle answer from the cache now, or the lease from the store. */
  const poll = (res: ServerResponse, taken: Taken, now: Date): void => {
    own(taken);
    const idle = deps.cache?.peekIdle(taken.serverId, now.getTime());
    if (idle) return send(res, taken, () => showCommandAnswer(deps.answer, taken.serverId, idle, now));
    sendLater(res, taken, deps.store.leaseNextCommand(taken.serverId, now, leaseMs).then((outcome) => showCommandAnswer(deps.answer, taken.serverId, outcome, now)));
  };

  /** UpdateCommandResult, authorized: the body read, then stored by the handler if it matches the spec; otherwise Express's. */
  const report = (req: IncomingMessage, res: ServerResponse, taken: Taken): void => readBody(req, (bytes) => reportRead(req, res, taken, bytes));

  /** UpdateCommandResult, authorized, its body read: stored by the handler if it matches the spec; otherwise Express's. */
  const reportRead = (req: IncomingMessage, res: ServerResponse, taken: Taken, bytes: Buffer): void => {
    {
      let body: unknown;
      let text: string | undefined;
      try {
        ({ value: body, text } = parseJsonBytes(bytes, req.headers['content-type']));
      } catch {
        body = undefined;
      }
      if (text === undefined || !checks.reportBody(body)) return handOver(req, res, bytes); // Express answers
      own(taken);
      const params = { server_id: taken.serverId };
      sendLater(res, taken, deps.report({ params, query: undefined as never, body: body as never, rawBody: text, requestId: taken.requestId }));
    }
  };

  /** An authorized request, taken by its operation. */
  const take = (req: IncomingMessage, res: ServerResponse, operationId: OperationId, serverId: string, record: Grant, started: bigint, now: Date): void => {
    const taken: Taken = { operationId, serverId, record, started, url: req.url as string, requestId: '' };
    if (operationId === 'ShowCommand') poll(res, taken, now);
    else report(req, res, taken);
  };

  /** The token not in the cache: looked up, then taken, or left to Express (401, 403, or a store that fails). */
  const lookUp = (req: IncomingMessage, res: ServerResponse, operationId: OperationId, serverId: string, hash: string, started: bigint): void => {
    deps.store
      .findTokenByHash(hash)
      .then(
        (found) => {
          const now = deps.clock.now();
          const record = authorized(found, hash, now, operationId, serverId);
          if (record === undefined) return app(req, res);
          take(req, res, operationId, serverId, record, started, now);
        },
        () => app(req, res),
      )
      .catch((bug: unknown) => failed(res, bug));
  };

  /**
   * A signed request: checked by authenticate() over what arrived (a report's body read first, since the
   * signature covers it), then taken; one that does not authenticate or authorize is Express's (a read
   * body handed over with it).
   */
  const signed = (req: IncomingMessage, res: ServerResponse, operationId: OperationId, serverId: string, started: bigint): void => {
    const signedRequest = (body: Buffer): SignedRequest => ({ method: req.method as string, url: req.url as string, headers: req.headers, body });
    const verified = (body: Buffer): Promise<Grant> =>
      authenticate(auth, signedRequest(body)).then((grant) => {
        authorize(grant, REQUIRED_ACTION[operationId], serverId);
        return grant;
      });
    const taken = (grant: Grant): Taken => ({ operationId, serverId, record: grant, started, url: req.url as string, requestId: '' });
    if (operationId === 'ShowCommand') {
      const now = deps.clock.now();
      const cached = cachedGrant(signedRequest(NO_BODY), operationId, serverId, now);
      if (cached) return poll(res, taken(cached), now);
      verified(NO_BODY)
        .then(
          (grant) => poll(res, taken(grant), deps.clock.now()),
          () => app(req, res),
        )
        .catch((bug: unknown) => failed(res, bug));
      return;
    }
    readBody(req, (bytes) => {
      const cached = cachedGrant(signedRequest(bytes), operationId, serverId, deps.clock.now());
      if (cached) return reportRead(req, res, taken(cached), bytes);
      verified(bytes)
        .then(
          (grant) => reportRead(req, res, taken(grant), bytes),
          () => handOver(req, res, bytes),
        )
        .catch((bug: unknown) => failed(res, bug));
    });
  };

  /**
   * A signed request's grant at once, when the read cache holds its access key and it authenticates and
   * authorizes (authenticate()'s checks, without its look-up); undefined: authenticate() decides.
   */
  const cachedGrant = (request: SignedRequest, operationId: OperationId, serverId: string, now: Date): Grant | undefined => {
    try {
      const claim = claimOf(request.headers, now);
      const record = deps.cache?.peekAccessKey(claim.accessKey);
      if (record === undefined) return undefined;
      const grant = acceptSignature(record, claim, request, deps.sealer, now);
      authorize(grant, REQUIRED_ACTION[operationId], serverId);
      return grant;
    } catch {
      return undefined;
    }
  };

  /** A request whose body the fast path read, given to Express (its body parser skips a request already read). */
  const handOver = (req: IncomingMessage, res: ServerResponse, bytes: Buffer): void => {
    (req as IncomingMessage & { body?: Buffer }).body = bytes;
    app(req, res);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const admission = admitted(req, deps.config.bodyLimitBytes);
    if (admission === undefined || !checks.serverId(admission.serverId)) return app(req, res);
    const { operationId, serverId } = admission;
    const started = process.hrtime.bigint();
    if (isSigned(req.headers)) return signed(req, res, operationId, serverId, started);
    const token = req.headers[TOKEN_HEADER];
    if (typeof token !== 'string') return app(req, res);
    let hash: string;
    try {
      hash = presentedHash(token);
    } catch {
      return app(req, res); // missing or over-long: Express's 401
    }
    const cached = deps.cache?.peekToken(hash);
    if (!cached) return lookUp(req, res, operationId, serverId, hash, started);
    const now = deps.clock.now();
    const record = authorized(cached, hash, now, operationId, serverId);
    if (record === undefined) return app(req, res); // revoked, expired or not allowed: Express's 401 or 403
    take(req, res, operationId, serverId, record, started, now);
  };
  return Object.assign(listener, { answered: () => answered });
}
