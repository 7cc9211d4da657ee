/**
 * A request's body read once, by express.raw (the limit, Content-Length, Content-Encoding), its outcome
 * (the bytes, none, or the error) kept on the request: the next reader, on either request path, gets the
 * same outcome without reading again (auth reading a signed body before the JSON parser, the fast path
 * handing a request it read to Express).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';

const OUTCOME = Symbol('body read');

type Read = IncomingMessage & { [OUTCOME]?: Promise<Buffer | undefined>; body?: unknown };

/** Reads a request's body: its bytes, or undefined when the reader does not take it (no body, another content type). */
export type BodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<Buffer | undefined>;

/** A reader of what express.raw reads with `options`; a request read before gets the first reader's outcome. */
export function bodyReader(options: NonNullable<Parameters<typeof express.raw>[0]>): BodyReader {
  const raw = express.raw(options);
  return (req, res) => {
    const read = req as Read;
    read[OUTCOME] ??= new Promise((resolve, reject) => {
      raw(req as Request, res as Response, (err?: unknown) => {
        if (err !== undefined && err !== null) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(Buffer.isBuffer(read.body) ? read.body : undefined);
      });
    });
    return read[OUTCOME];
  };
}
