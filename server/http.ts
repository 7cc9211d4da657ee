/**
 * The HTTP server around the app: header and request timeouts and a connection cap (a slow or greedy
 * client cannot hold the server), headers up to 128 KiB (an over-long token reaches auth and gets its
 * 401), and every request Node answers before Express sees it (malformed HTTP, oversized headers, a
 * request that never finishes, an unmet Expect, CONNECT, no Host, a transfer coding it cannot decode)
 * still answered in the spec's JSON error shape; an absolute-form target is served as its path.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as NetServer, type Socket } from 'node:net';
import type { Express, Response } from 'express';
import { MAX_TOKEN_LENGTH } from './auth.js';
import type { Config } from './config.js';
import { SmsError } from './errors.js';
import { stringifyJson } from './rawJson.js';

export const MAX_HEADER_BYTES = 128 * 1024;

export type ConnectionLimits = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>;

/** Writes an SmsError as a complete HTTP/1.1 response on a raw socket, then closes it. */
function answerOnSocket(socket: Duplex, error: SmsError): void {
  const body = JSON.stringify(error.body());
  const headers = Object.entries(error.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${randomUUID()}\r\n${headers}Connection: close\r\n\r\n${body}`,
  );
}

const connections = new WeakMap<Server, Set<Socket>>();
const netServerClose = NetServer.prototype.close;

/**
 * Drains a server made by createHttpServer, then calls `closed` once every connection is closed: it stops
 * accepting connections at once; every response not sent yet, and the next request on each open
 * connection, answers with `Connection: close`, so no client reuses a connection the server is about to
 * close. An idle keep-alive connection is left open for `idleGraceMs`, so that a request already on its
 * way is answered rather than reset; what is still idle then is closed.
 */
export function drain(server: Server, idleGraceMs: number, closed: () => void): void {
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.shouldKeepAlive = false;
  });
  // the response in flight on each connection (node:http keeps it as the socket's _httpMessage)
  for (const socket of connections.get(server) ?? []) {
    const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (res && !res.headersSent) res.shouldKeepAlive = false;
  }
  // net.Server's close: http.Server's would also close every idle connection now, resetting the requests
  // clients are sending on them (32 of 2,000 keep-alive reports in test/server/shutdown.test.ts)
  netServerClose.call(server, () => closed());
  setTimeout(() => server.closeIdleConnections(), idleGraceMs).unref();
}

/** A request target in absolute form (`http://host:port/path?query`, RFC 9112 §3.2.2): its authority and the rest. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^#]*)/i;
/** The one transfer coding the server decodes (Node de-chunks; any other coding would reach the parser still encoded). */
const CHUNKED_ONLY = /^[\t ]*chunked[\t ]*$/i;

/** Answers a request in the spec's JSON error shape from node:http, then closes its connection (its body may be unread). */
function answerRequest(res: ServerResponse, error: SmsError): void {
  const body = JSON.stringify(error.body());
  res.writeHead(error.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': randomUUID(), Connection: 'close' });
  res.end(body);
}

/**
 * What every request passes before `listener`, for both request paths: an absolute-form target is taken
 * as its path (its authority as Host, as RFC 9112 says), an HTTP/1.1 request without Host and a body in a
 * transfer coding other than chunked are refused in the spec's JSON (node:http would send an empty 400 or
 * pass the body on still gzip-encoded).
 */
export function admitRequests(listener: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const { url, headers } = req;
    if (url !== undefined && url.charCodeAt(0) !== 47 /* / */) {
      const absolute = ABSOLUTE_FORM.exec(url);
      if (absolute !== null) {
        const [, authority = '', rest = ''] = absolute;
        req.url = rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
        if (authority !== '') headers.host = authority;
      }
    }
    if (headers.host === undefined && req.httpVersionMinor === 1 && req.httpVersionMajor === 1) return answerRequest(res, new SmsError('missingHost'));
    const coding = headers['transfer-encoding'];
    if (coding !== undefined && !CHUNKED_ONLY.test(coding)) return answerRequest(res, new SmsError('unsupportedTransferCoding', coding));
    listener(req, res);
  };
}

/** Wraps the app in a node:http server (not listening yet); `listener` answers the requests (default: the app itself). */
export function createHttpServer(app: Express, limits: ConnectionLimits, listener: (req: IncomingMessage, res: ServerResponse) => void = app): Server {
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // how often Node enforces the two timeouts above (its default, 30 s, would let them run late)
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
      // admitRequests answers a missing Host in JSON (node:http's own answer is an empty 400)
      requireHostHeader: false,
      ...bornWithAppPrototypes(app),
    },
    admitRequests(listener),
  );
  server.maxConnections = limits.maxConnections;
  // open connections (tracked per connection, not per request: the hot path pays nothing), for drain()
  const sockets = new Set<Socket>();
  connections.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    if (err.code === 'HPE_HEADER_OVERFLOW') answerOnSocket(socket, new SmsError('headersTooLarge', MAX_HEADER_BYTES, MAX_TOKEN_LENGTH));
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') answerOnSocket(socket, new SmsError('requestTimeout', limits.requestTimeoutMs));
    else answerOnSocket(socket, new SmsError('malformedHttp'));
  });
  // Node would answer these itself: an empty 417, or no answer at all to CONNECT
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => answerRequest(res, new SmsError('expectationFailed', String(req.headers.expect))));
  server.on('connect', (req: IncomingMessage, socket: Duplex) => answerOnSocket(socket, new SmsError('methodNotAllowed', req.method ?? 'CONNECT', 'GET, POST')));
  return server;
}

/** Always false: the assignments it guards never run (see bornWithAppPrototypes). */
let reserveSlots = false;

/**
 * Request and response classes for node:http whose objects are created with the app's `request` and
 * `response` prototypes. Express sets those prototypes on every request (`Object.setPrototypeOf`); on an
 * object that already has them that is a no-op, where changing them makes V8 give the objects new,
 * unshared shapes, so that every later property access on them in Node's HTTP code takes the slow path
 * (measured: about 45 µs more CPU per request on a bare node:http server).
 *
 * V8 sizes an object's in-object property slots by the `this.x =` assignments it finds in the body of the
 * constructor that `new` runs. These constructors only `.call` Node's, so without the never-run
 * assignments below V8 reserves no slot, and the 26 properties of a request and the 40 of a response push
 * the objects into dictionary mode: every property access in Node's HTTP code a hash lookup (measured:
 * 15% more instructions per poll with callgrind, 9 µs more user CPU per poll at 10,000 polls/s).
 * test/server/httpServer.test.ts checks with V8's own %HasFastProperties.
 */
export function bornWithAppPrototypes(
  app: Express,
  node: { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } = { IncomingMessage, ServerResponse },
): { IncomingMessage?: typeof IncomingMessage; ServerResponse?: typeof ServerResponse } {
  // Node's IncomingMessage and ServerResponse are plain constructor functions, which `.call` can
  // initialise on an object with another prototype (Reflect.construct can too, but V8 runs the
  // constructors several times slower that way). Should a Node release make them classes, fall back.
  if ([node.IncomingMessage, node.ServerResponse].some((c) => Function.prototype.toString.call(c).startsWith('class'))) return {};
  function AppRequest(this: Record<string, unknown>, socket: Socket): void {
    if (reserveSlots) {
      this.r0 = this.r1 = this.r2 = this.r3 = this.r4 = this.r5 = this.r6 = this.r7 = this.r8 = this.r9 = this.r10 = this.r11 = this.r12 = this.r13 = this.r14 = this.r15 = undefined;
      this.r16 = this.r17 = this.r18 = this.r19 = this.r20 = this.r21 = this.r22 = this.r23 = this.r24 = this.r25 = this.r26 = this.r27 = this.r28 = this.r29 = this.r30 = this.r31 = undefined;
    }
    (node.IncomingMessage as unknown as Function).call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: Record<string, unknown>, req: IncomingMessage, options: unknown): void {
    if (reserveSlots) {
      this.s0 = this.s1 = this.s2 = this.s3 = this.s4 = this.s5 = this.s6 = this.s7 = this.s8 = this.s9 = this.s10 = this.s11 = this.s12 = this.s13 = this.s14 = this.s15 = undefined;
      this.s16 = this.s17 = this.s18 = this.s19 = this.s20 = this.s21 = this.s22 = this.s23 = this.s24 = this.s25 = this.s26 = this.s27 = this.s28 = this.s29 = this.s30 = this.s31 = undefined;
      this.s32 = this.s33 = this.s34 = this.s35 = this.s36 = this.s37 = this.s38 = this.s39 = this.s40 = this.s41 = this.s42 = this.s43 = this.s44 = this.s45 = this.s46 = this.s47 = undefined;
    }
    (node.ServerResponse as unknown as Function).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}

/**
 * res.json for this API, installed as the app's `res.json`: headers and body leave in one write, without
 * the ETag and freshness work of Express's res.send (no response of this API is cacheable); a stored
 * result_detail leaves as the text stored (stringifyJson).
 */
export function sendJson(this: Response, body: unknown): Response {
  const text = stringifyJson(body);
  this.setHeader('Content-Type', 'application/json; charset=utf-8');
  this.setHeader('Content-Length', Buffer.byteLength(text));
  this.end(text);
  return this;
}
