/**
 * The HTTP server around the app: header and request timeouts and a connection cap (a slow or greedy
 * client cannot hold the server), headers up to 128 KiB (an over-long token reaches auth and gets its
 * 401), and every request Node answers before Express sees it (malformed HTTP, oversized headers, a
 * request that never finishes, an unmet Expect, CONNECT, no Host, a transfer coding it cannot decode)
 * still answered in the spec's JSON error shape; an absolute-form target is served as its path.
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as NetServer, type Socket } from 'node:net';
import type { Express } from 'express';
import { bornWithAppPrototypes } from './appPrototypes.js';
import { MAX_TOKEN_LENGTH } from './auth.js';
import type { Config } from './config.js';
import { SmsError } from './errors.js';

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
