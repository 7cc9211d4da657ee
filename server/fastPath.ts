/**
 * The fast path of ShowCommand: nearly all of a fleet's traffic is Agents polling, and most polls find
 * nothing to do. A poll that is certainly valid is answered here, straight from node:http, without
 * Express's router and express-openapi-validator's four middlewares: the same auth rules, the same
 * answer (showCommandAnswer), the same error bodies, the response validated against the same bundled
 * spec, the same log line and metrics. When the read cache holds the token and the source server's idle
 * state, the whole answer is synchronous: no promise, no database. Anything the fast path is not sure of
 * (another method or path, a query string, an encoded or invalid server_id, a body, a token that does not
 * authenticate or authorize) goes to the Express app untouched, so every other answer is Express's own.
 * The differential test (test/server/fastPath.test.ts) sends the same generated requests to both paths.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Logger } from 'pino';
import { routes, type Responses } from '../generated/routes.js';
import { acceptToken, authorize, presentedHash, TOKEN_HEADER } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { sendError } from './errorHandler.js';
import { showCommandAnswer, type HandlerDeps } from './handlers.js';
import { logRequest, routeLogger } from './logging.js';
import type { Metrics } from './metrics.js';
import { REQUIRED_ACTION } from './permissions.js';
import type { BundledSpec } from './spec.js';
import type { CachedStore } from './store/cached.js';
import type { Store, TokenRecord } from './store/types.js';

export interface FastPathDeps {
  spec: BundledSpec;
  store: Store;
  /** The read cache, when there is one: its synchronous answers make the common poll promise-free. */
  cache: Pick<CachedStore, 'peekToken' | 'peekIdle'> | null;
  clock: Clock;
  config: Pick<Config, 'leaseSeconds' | 'validateResponses' | 'bodyLimitBytes'>;
  /** What the ShowCommand handler notes: liveness, the lease metric. */
  answer: Pick<HandlerDeps, 'liveness' | 'metrics'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'request'>;
}

/** A request listener: the fast path in front of the Express app. */
export interface WithFastPath {
  (req: IncomingMessage, res: ServerResponse): void;
  /** How many requests the fast path answered itself (the tests check that it is taken). */
  answered(): number;
}

const OPERATION = 'ShowCommand';
const ROUTE = routes.ShowCommand.expressPath;
const ACTION = REQUIRED_ACTION.ShowCommand;
/** /v3/sources/{server_id}/command, exactly: the server_id segment has no '/', '%', '?' or '#'. */
const PATH = /^\/v3\/sources\/([^/%?#]+)\/command$/;

type Json = Record<string, unknown>;

/** Validators of the server_id parameter and of the 200 body, compiled from the bundled spec. */
function compileChecks(spec: BundledSpec): { serverId: ValidateFunction; okBody: ValidateFunction } {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(spec.document as Json, 'spec');
  const pointer = (...parts: string[]) => `spec#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  return {
    serverId: ajv.compile({ $ref: pointer('components', 'parameters', 'ServerId', 'schema') }),
    okBody: ajv.compile({ $ref: pointer('paths', routes.ShowCommand.path, 'get', 'responses', '200', 'content', 'application/json', 'schema') }),
  };
}

/** Puts the ShowCommand fast path in front of `app` (the Express app, which answers everything else). */
export function withShowCommandFastPath(deps: FastPathDeps, app: (req: IncomingMessage, res: ServerResponse) => void): WithFastPath {
  const checks = compileChecks(deps.spec);
  const leaseMs = deps.config.leaseSeconds * 1000;
  const log = routeLogger(deps.logger, 'GET', ROUTE);
  let answered = 0;

  /** Sends ShowCommand's answer (or the error it threw), validated as the validator would, then logs the request. */
  const send = (res: ServerResponse, ctx: { serverId: string; record: TokenRecord; started: bigint; requestId: string; url: string }, answer: () => Responses['ShowCommand']): void => {
    let errorCode: string | undefined;
    try {
      const { body } = answer();
      if (deps.config.validateResponses && !checks.okBody(body)) {
        // what the validator does with an answer the spec does not allow: a 500 (SMS.2007), logged
        throw Object.assign(new Error(`response does not match the spec: ${JSON.stringify(checks.okBody.errors)}`), { status: 500 });
      }
      const text = JSON.stringify(body);
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      res.end(text);
    } catch (err) {
      errorCode = sendError(err, { method: 'GET', path: ctx.url, contentType: undefined, requestId: ctx.requestId }, res, { logger: deps.logger, bodyLimitBytes: deps.config.bodyLimitBytes });
    }
    logRequest(log, deps.metrics, OPERATION, { requestId: ctx.requestId, status: res.statusCode, source: ctx.serverId, errorCode, tokenId: ctx.record.id }, ctx.started);
  };

  /** Takes the request: an id on the response, then the answer, now or when the store has it. */
  const take = (res: ServerResponse, serverId: string, record: TokenRecord, started: bigint, url: string, now: Date): void => {
    answered++;
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const ctx = { serverId, record, started, requestId, url };
    const idle = deps.cache?.peekIdle(serverId, now.getTime());
    if (idle) return send(res, ctx, () => showCommandAnswer(deps.answer, serverId, idle, now));
    deps.store
      .leaseNextCommand(serverId, now, leaseMs)
      .then(
        (outcome) => send(res, ctx, () => showCommandAnswer(deps.answer, serverId, outcome, now)),
        (err: unknown) =>
          send(res, ctx, () => {
            throw err;
          }),
      )
      .catch((bug: unknown) => failed(res, bug));
  };

  /** A bug past every guard (the log failing, say): logged, and the connection closed rather than left hanging. */
  const failed = (res: ServerResponse, bug: unknown): void => {
    deps.logger.error({ err: bug }, 'ShowCommand fast path failed');
    res.destroy();
  };

  /** The token not in the cache: looked up, then taken, or left to Express (401, 403, or a store that fails). */
  const lookUp = (req: IncomingMessage, res: ServerResponse, serverId: string, hash: string, started: bigint): void => {
    deps.store
      .findTokenByHash(hash)
      .then(
        (found) => {
          const now = deps.clock.now();
          let record: TokenRecord;
          try {
            record = acceptToken(found, hash, now);
            authorize(record, ACTION, serverId);
          } catch {
            return app(req, res);
          }
          take(res, serverId, record, started, req.url as string, now);
        },
        () => app(req, res),
      )
      .catch((bug: unknown) => failed(res, bug));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    const serverId = req.method === 'GET' && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined ? PATH.exec(url)?.[1] : undefined;
    const token = req.headers[TOKEN_HEADER];
    if (serverId === undefined || typeof token !== 'string' || !checks.serverId(serverId)) return app(req, res);
    const started = process.hrtime.bigint();
    let hash: string;
    try {
      hash = presentedHash(token);
    } catch {
      return app(req, res); // missing or over-long: Express's 401
    }
    const cached = deps.cache?.peekToken(hash);
    if (!cached) return lookUp(req, res, serverId, hash, started);
    const now = deps.clock.now();
    try {
      authorize(acceptToken(cached, hash, now), ACTION, serverId);
    } catch {
      return app(req, res); // revoked, expired or not allowed: Express's 401 or 403
    }
    take(res, serverId, cached, started, url, now);
  };
  return Object.assign(listener, { answered: () => answered });
}
