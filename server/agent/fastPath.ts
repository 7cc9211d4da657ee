/**
 * The fast path of the Agent contract: nearly all of a fleet's traffic is Agents polling (ShowCommand)
 * and reporting (UpdateCommandResult). A request that is certainly valid is answered here, straight from
 * node:http, without Express's router and express-openapi-validator's middlewares, by what the Express path
 * runs too: its operation found by the generated route table's matchers and validators (compiled once,
 * server/compiledRoutes.ts), the request admitted by the same `AgentAuth`, its body read by the same
 * reader, the same handler, the same error table, log line and metrics. When the read cache holds the
 * credential and the source server's idle state, a poll's whole answer is synchronous: no promise, no
 * database.
 *
 * Anything the fast path is not sure of goes to the Express app, which answers it as if the fast path were
 * not there: a request no operation's matcher takes, parameters the contract refuses, a body where the
 * operation takes none, a body that is not plain JSON, a credential that is not admitted, and a body that
 * does not read, parse or match the contract (the reader keeps its outcome on the request, so Express gets
 * the same bytes or error). The differential test (test/server/agent/fastPath.test.ts) sends the same
 * generated requests to both paths.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { hasBody } from 'type-is';
import type { OperationId, Responses } from '../../generated/routes.js';
import type { AgentAuth, Grant } from '../auth.js';
import type { CompiledRoute } from '../compiledRoutes.js';
import type { Config } from '../config.js';
import { sendError } from '../errorResponse.js';
import { SmsError } from '../errors.js';
import { isPlainJson, type ParsedJson } from '../jsonParser.js';
import { logRequest, routeLogger } from '../logging.js';
import type { Metrics } from '../prometheus.js';
import { REQUIRED_ACTION } from '../permissions.js';
import type { AgentHandlers } from './handlers.js';

export interface FastPathDeps {
  /** The Agent contract's route table, compiled (server/compiledRoutes.ts). */
  routes: Array<CompiledRoute<OperationId>>;
  /** The handlers Express mounts. */
  handlers: AgentHandlers;
  /** The admission Express's chain runs. */
  auth: AgentAuth;
  /** The JSON body reader Express's chain runs (server/jsonParser.ts). */
  readJson: (req: IncomingMessage, res: ServerResponse) => Promise<ParsedJson | undefined>;
  config: Pick<Config, 'validateResponses' | 'bodyLimitBytes'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'request'>;
}

/** A request listener: the fast path in front of the Express app. */
export interface WithFastPath {
  (req: IncomingMessage, res: ServerResponse): void;
  /** How many requests the fast path answered itself (the tests check that it is taken). */
  answered(): number;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Answer = Responses[OperationId];

/** A request the fast path admitted: its operation, its parameters, its grant, and when it arrived. */
interface Taken {
  compiled: CompiledRoute<OperationId>;
  params: Record<string, string>;
  req: IncomingMessage;
  res: ServerResponse;
  started: bigint;
  grant: Grant;
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

/** Puts the fast path in front of `app` (the Express app, which answers everything else). */
export function withFastPaths(deps: FastPathDeps, app: Listener): WithFastPath {
  const byMethod = new Map<string, Array<CompiledRoute<OperationId>>>();
  for (const compiled of deps.routes) byMethod.set(compiled.method, [...(byMethod.get(compiled.method) ?? []), compiled]);
  const logs = new Map(deps.routes.map((c) => [c.operationId, routeLogger(deps.logger, c.method, c.route.expressPath)]));
  /** Frozen bodies (the idle answer), serialised once after they were validated once: every answer sends the same valid bytes. */
  const prepared = new WeakMap<object, Serialised>();
  let answered = 0;

  /** A bug past every guard (the log failing, say): logged, and the connection closed rather than left hanging. */
  const failed = (res: ServerResponse, bug: unknown): void => {
    deps.logger.error({ err: bug }, 'fast path failed');
    res.destroy();
  };

  /**
   * Runs `step`, then `next` with its value: at once when it is one, when it settles when it is a promise;
   * `otherwise` with what it threw. A bug in `next` or `otherwise` after a promise closes `res`'s connection.
   */
  const settle = <T>(res: ServerResponse, step: () => T | Promise<T>, next: (value: T) => void, otherwise: (err: unknown) => void): void => {
    let value: T | Promise<T>;
    try {
      value = step();
    } catch (err) {
      return otherwise(err);
    }
    if (value instanceof Promise) value.then(next, otherwise).catch((bug: unknown) => failed(res, bug));
    else next(value);
  };

  /** An answer's body validated as the validator validates it (the error table's 500, SMS.2007, when the contract does not allow it), then serialised. */
  const serialised = (compiled: CompiledRoute<OperationId>, { status, body }: Answer): Serialised => {
    const known = typeof body === 'object' && body !== null ? prepared.get(body) : undefined;
    if (known !== undefined) return known;
    const valid = compiled.answers[status];
    if (deps.config.validateResponses && valid !== undefined && !valid(body)) {
      throw new SmsError('backend').causedBy(new Error(`the ${status} answer does not match the contract: ${JSON.stringify(valid.errors)}`));
    }
    const done = serialise(body);
    if (Object.isFrozen(body)) prepared.set(body as object, done);
    return done;
  };

  /** Sends the handler's answer (or the error it threw) under the request's id, then logs the request. */
  const respond = (taken: Taken, requestId: string, answer: Answer | undefined, error?: unknown): void => {
    const { res, compiled } = taken;
    let errorCode: string | undefined;
    try {
      if (answer === undefined) throw error;
      const { text, bytes } = serialised(compiled, answer);
      // all headers in one call: no setHeader bookkeeping (`npm run bench:profile`)
      res.writeHead(answer.status, ['X-Request-Id', requestId, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(bytes)]);
      res.end(text);
    } catch (err) {
      if (!res.headersSent) res.setHeader('X-Request-Id', requestId);
      errorCode = sendError(err, { method: compiled.method, path: taken.req.url as string, contentType: undefined, requestId }, res, {
        logger: deps.logger,
        bodyLimitBytes: deps.config.bodyLimitBytes,
      });
    }
    const line = { requestId, status: res.statusCode, source: taken.params.server_id, errorCode, tokenId: taken.grant.id };
    logRequest(logs.get(compiled.operationId) as Logger, deps.metrics, compiled.operationId, line, taken.started);
  };

  /** The request is the fast path's from here (Express gives its own id to what it answers): its id, and its handler's answer. */
  const handle = (taken: Taken, body: ParsedJson | undefined): void => {
    answered++;
    const requestId = randomUUID();
    const handler = deps.handlers[taken.compiled.operationId] as (request: unknown) => Answer | Promise<Answer>;
    const request = { params: taken.params, query: {}, body: body?.value, rawBody: body?.text, requestId };
    settle(
      taken.res,
      () => handler(request),
      (answer) => respond(taken, requestId, answer),
      (err) => respond(taken, requestId, undefined, err),
    );
  };

  /** An admitted request: handled now when it takes no body; otherwise once its body reads as JSON that the contract allows (else Express's). */
  const admitted = (taken: Taken): void => {
    const { compiled, req, res } = taken;
    if (compiled.body === undefined) return handle(taken, undefined);
    const checkBody = compiled.body;
    deps
      .readJson(req, res)
      .then(
        (parsed) => (checkBody(parsed?.value) ? handle(taken, parsed) : app(req, res)),
        () => app(req, res),
      )
      .catch((bug: unknown) => failed(res, bug));
  };

  /** The operation a request names, with its parameters as the contract allows them; undefined: Express's. */
  const operationOf = (req: IncomingMessage): { compiled: CompiledRoute<OperationId>; params: Record<string, string> } | undefined => {
    for (const compiled of byMethod.get(req.method as string) ?? []) {
      const params = compiled.match(req.url as string);
      if (params === undefined || !compiled.params(params)) continue;
      const readable = compiled.body === undefined ? !hasBody(req) : isPlainJson(req.headers['content-type']);
      return readable ? { compiled, params } : undefined;
    }
    return undefined;
  };

  /** A request of one of the operations: admitted, then taken on; otherwise Express's. */
  const take = (req: IncomingMessage, res: ServerResponse, { compiled, params }: NonNullable<ReturnType<typeof operationOf>>): void => {
    const started = process.hrtime.bigint();
    settle(
      res,
      () => deps.auth.admit(req, res, REQUIRED_ACTION[compiled.operationId], params.server_id as string),
      (grant) => admitted({ compiled, params, req, res, started, grant }),
      () => app(req, res), // 401 or 403, or a store that fails: Express answers
    );
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const found = operationOf(req);
    if (found === undefined) return app(req, res);
    try {
      take(req, res, found);
    } catch (bug) {
      failed(res, bug); // a bug on the synchronous path (the log failing, say): the request's connection, not the process
    }
  };
  return Object.assign(listener, { answered: () => answered });
}
