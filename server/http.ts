/**
 * The HTTP server around the app: headers up to 64 KiB (a 16,384-character token must reach auth), and
 * requests Node rejects before Express sees them (oversized headers, malformed HTTP) still answered in the
 * spec's JSON error shape.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express, Response } from 'express';
import { MAX_TOKEN_LENGTH } from './auth.js';
import { SmsError } from './errors.js';

export const MAX_HEADER_BYTES = 64 * 1024;

/** Wraps the app in a node:http server (not listening yet). */
export function createHttpServer(app: Express): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, ...bornWithAppPrototypes(app) }, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) {
      socket.destroy();
      return;
    }
    const error = err.code === 'HPE_HEADER_OVERFLOW' ? new SmsError('headersTooLarge', MAX_HEADER_BYTES, MAX_TOKEN_LENGTH) : new SmsError('malformedHttp');
    const body = JSON.stringify(error.body());
    socket.end(
      `HTTP/1.1 ${error.status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/**
 * Request and response classes for node:http whose objects are created with the app's `request` and
 * `response` prototypes. Express sets those prototypes on every request (`Object.setPrototypeOf`); on an
 * object that already has them that is a no-op, where changing them makes V8 give the objects new,
 * unshared shapes, so that every later property access on them in Node's HTTP code takes the slow path
 * (measured: about 45 µs more CPU per request on a bare node:http server).
 */
export function bornWithAppPrototypes(
  app: Express,
  node: { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } = { IncomingMessage, ServerResponse },
): { IncomingMessage?: typeof IncomingMessage; ServerResponse?: typeof ServerResponse } {
  // Node's IncomingMessage and ServerResponse are plain constructor functions, which `.call` can
  // initialise on an object with another prototype (Reflect.construct can too, but V8 runs the
  // constructors several times slower that way). Should a Node release make them classes, fall back.
  if ([node.IncomingMessage, node.ServerResponse].some((c) => Function.prototype.toString.call(c).startsWith('class'))) return {};
  function AppRequest(this: IncomingMessage, socket: Socket): void {
    (node.IncomingMessage as unknown as Function).call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, req: IncomingMessage, options: unknown): void {
    (node.ServerResponse as unknown as Function).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}

/**
 * res.json for this API, installed as the app's `res.json`: headers and body leave in one write, without
 * the ETag and freshness work of Express's res.send (no response of this API is cacheable).
 */
export function sendJson(this: Response, body: unknown): Response {
  const text = JSON.stringify(body);
  this.setHeader('Content-Type', 'application/json; charset=utf-8');
  this.setHeader('Content-Length', Buffer.byteLength(text));
  this.end(text);
  return this;
}
