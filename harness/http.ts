/** A tiny fetch wrapper for tests: sends what it is told, returns status, headers and raw text. */
import { signRequest, type AccessKey } from '../client/src/signing.js';
import type { ObservedResponse } from './spec.js';

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ObservedResponse & { json(): any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** The headers of a request to `url` with its SDK-HMAC-SHA256 signature, as the client signs it (lower-case names, to send through `call`). */
export async function signedHeaders(url: string, init: RequestInit, key: AccessKey): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  (await signRequest(new Request(url, init), key)).headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

export const commandPath = (serverId: string): string => `/v3/sources/${serverId}/command`;
export const resultPath = (serverId: string): string => `/v3/sources/${serverId}/command_result`;

/** What a raw exchange got back: the status line's code, the headers (lower-cased names) and the body, as sent. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `bytes` as they are on a new connection to `baseUrl` and reads until the server closes it (send `Connection: close` on a request it would keep open). */
export async function rawExchange(baseUrl: string, bytes: string | Buffer): Promise<RawResponse> {
  const { createConnection } = await import('node:net');
  const { hostname, port } = new URL(baseUrl);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(Number(port), hostname, () => socket.write(bytes));
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (got += d));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no complete answer within 10 s; got so far: ${JSON.stringify(got.slice(0, 500))}`));
    });
  });
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') };
}
