/**
 * The fast path of ShowCommand: nearly all of a fleet's traffic is Agents polling, and most polls find
 * nothing to do. A poll that is certainly valid is answered here, straight from node:http, without
 * Express's router and express-openapi-validator's four middlewares: the same auth (401/403 rules), the
 * same handler, the same error bodies, the response validated against the same bundled spec, the same log
 * line and metrics. Anything it is not sure of (another method or path, a query string, an encoded or
 * invalid server_id, a body, a token that does not authenticate or authorize) goes to the Express app,
 * untouched, so every answer but the valid poll's is Express's own. The differential test
 * (test/server/fastPath.test.ts) sends the same generated requests to both and compares them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Logger } from 'pino';
import { routes } from '../generated/routes.js';
import { authorize, TOKEN_HEADER, verifyToken } from './auth.js';
import type { Clock } from './clock.js';
import { sendError } from './errorHandler.js';
import type { AgentHandlers } from './handlers.js';
import { logRequest } from './logging.js';
import type { Metrics } from './metrics.js';
import { REQUIRED_ACTION } from './permissions.js';
import type { BundledSpec } from './spec.js';
import type { Store } from './store/types.js';

export interface FastPathDeps {
  spec: BundledSpec;
  store: Store;
  clock: Clock;
  handler: AgentHandlers['ShowCommand'];
  logger: Logger;
  metrics?: Pick<Metrics, 'request'>;
  /** Validate every answer against the spec (VALIDATE_RESPONSES), as the validator does on the Express path. */
  validateResponses: boolean;
  bodyLimitBytes: number;
}

/** A request listener: the fast path in front of the Express app. */
export interface WithFastPath {
  (req: IncomingMessage, res: ServerResponse): void;
  /** How many requests the fast path answered itself (the tests check that it is taken). */
  answered(): number;
}

const OPERATION = 'ShowCommand';
const ROUTE = routes.ShowCommand.expressPath;
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
  let answered = 0;

  /** The token's record when it may poll `serverId`; undefined for Express to answer (401, 403, or a store that fails). */
  const authorized = async (token: string | string[] | undefined, serverId: string) => {
    if (typeof token !== 'string') return undefined;
    try {
      const record = await verifyToken(deps.store, token, deps.clock.now());
      authorize(record, REQUIRED_ACTION.ShowCommand, serverId);
      return record;
    } catch {
      return undefined;
    }
  };

  /** Answers a poll of `serverId` whose method, path and parameters are valid: authorized, it is ours; otherwise Express's. */
  const answer = async (req: IncomingMessage, res: ServerResponse, serverId: string, started: bigint): Promise<void> => {
    const record = await authorized(req.headers[TOKEN_HEADER], serverId);
    if (!record) return app(req, res);
    answered++;
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    let errorCode: string | undefined;
    try {
      const { body } = await deps.handler({ params: { server_id: serverId }, query: {}, body: undefined, rawBody: undefined, requestId });
      if (deps.validateResponses && !checks.okBody(body)) {
        // what the validator does with an answer the spec does not allow: a 500 (SMS.2007), logged
        throw Object.assign(new Error(`response does not match the spec: ${JSON.stringify(checks.okBody.errors)}`), { status: 500 });
      }
      const text = JSON.stringify(body);
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      res.end(text);
    } catch (err) {
      errorCode = sendError(err, { method: 'GET', path: req.url ?? '', contentType: undefined, requestId }, res, deps);
    }
    logRequest(deps.logger, deps.metrics, OPERATION, { requestId, method: 'GET', route: ROUTE, status: res.statusCode, source: serverId, errorCode, tokenId: record.id }, started);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const serverId = req.method === 'GET' && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined ? PATH.exec(req.url ?? '')?.[1] : undefined;
    if (serverId === undefined || !checks.serverId(serverId)) return app(req, res);
    const started = process.hrtime.bigint();
    answer(req, res, serverId, started).catch((err: unknown) => {
      // a bug past every guard: answered as the Express error handler answers one
      sendError(err, { method: 'GET', path: req.url ?? '', contentType: undefined, requestId: undefined }, res, deps);
    });
  };
  return Object.assign(listener, { answered: () => answered });
}
