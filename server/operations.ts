/**
 * Typed operation handlers: request and response types derived from generated/schema.ts, and the adapter
 * that mounts a handler on Express. A handler whose return value does not match the spec's 200 body does
 * not compile.
 */
import type { RequestHandler } from 'express';
import type { operations } from '../generated/schema.js';
import { RAW_BODY, type WithRawBody } from './jsonBody.js';

export type OperationId = keyof operations;

type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** Path parameters of an operation, as the spec declares them. */
export type PathParams<Op extends OperationId> = operations[Op]['parameters']['path'];
/** The JSON request body of an operation (never when it has none). */
export type RequestBody<Op extends OperationId> = operations[Op] extends { requestBody: infer B } ? JsonContent<NonNullable<B>> : never;
/** The JSON body of an operation's 200 response. */
export type OkBody<Op extends OperationId> = JsonContent<operations[Op]['responses'][200]>;

export interface OperationRequest<Op extends OperationId> {
  params: PathParams<Op>;
  body: RequestBody<Op>;
  /** The body as received (UTF-8 text), for a handler that stores what was sent; undefined without a body. */
  rawBody: string | undefined;
  requestId: string;
}

/** A handler of one operation: resolves to the 200 body, throws SmsError for every other status. */
export type OperationHandler<Op extends OperationId> = (request: OperationRequest<Op>) => Promise<OkBody<Op>>;

/** Adapts a typed operation handler to Express (request already validated against the spec). */
export function bindOperation<Op extends OperationId>(handler: OperationHandler<Op>): RequestHandler {
  return async (req, res) => {
    const body = await handler({
      params: req.params as unknown as PathParams<Op>,
      body: req.body as RequestBody<Op>,
      rawBody: (req as unknown as WithRawBody)[RAW_BODY],
      requestId: String(res.locals.requestId),
    });
    res.status(200).json(body);
  };
}
