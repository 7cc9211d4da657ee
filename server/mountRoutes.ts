/**
 * Mounting a contract's operations from its generated route table (generated/routes.ts,
 * generated/admin/routes.ts): each operation gets its chain (auth, body, validation) and its typed handler;
 * each path answers other methods with a JSON 405 naming the ones it has.
 */
import type { Express, RequestHandler } from 'express';
import { methodNotAllowed } from './expressErrors.js';
import { RAW_BODY, type WithRawBody } from './jsonParser.js';

/** What the server adds to every request a handler receives. */
export interface RequestContext {
  /** The body as received (UTF-8 text), for a handler that stores what was sent; undefined without a body. */
  rawBody: string | undefined;
  requestId: string;
}

/** A generated route table entry (the shape of `routes` in generated/routes.ts). */
export interface Route {
  readonly method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  readonly path: string;
  readonly expressPath: string;
  readonly jsonBody: boolean;
}

/** Any handler of a generated `Handlers` map, seen from Express (request already validated against the spec). */
type AnyHandler = (request: { params: never; query: never; body: never } & RequestContext) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/** Adapts a typed handler to Express: it answers the status and body it returns; what it throws goes to the error handler. */
export function bindHandler(handler: AnyHandler): RequestHandler {
  return async (req, res) => {
    const { status, body } = await handler({
      params: req.params as never,
      query: req.query as never,
      body: req.body as never,
      rawBody: (req as unknown as WithRawBody)[RAW_BODY],
      requestId: String(res.locals.requestId),
    });
    res.status(status).json(body);
  };
}

/**
 * Mounts every operation of `routes` with `chain(operationId, route)` before its handler (from `handlers`,
 * which the caller typed with the contract's generated `Handlers`), then a JSON 405 on each path.
 */
export function mountOperations<Id extends string>(
  app: Express,
  routes: Readonly<Record<Id, Route>>,
  handlers: Readonly<Record<Id, unknown>>,
  chain: (operationId: Id, route: Route) => RequestHandler[],
): void {
  const methodsByPath = new Map<string, string[]>();
  for (const operationId of Object.keys(routes) as Id[]) {
    const route = routes[operationId];
    app[route.method](route.expressPath, ...chain(operationId, route), bindHandler(handlers[operationId] as AnyHandler));
    methodsByPath.set(route.expressPath, [...(methodsByPath.get(route.expressPath) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) app.all(path, methodNotAllowed(methods.join(', ')));
}
