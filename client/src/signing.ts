/**
 * AK/SK request signing (SDK-HMAC-SHA256) as the contract's `AkSkSignature` scheme describes it and
 * Huawei Cloud's official SDKs sign: plain functions over a fetch Request, and the middleware that signs
 * every request of a client. Web Crypto (`globalThis.crypto.subtle`, in Node 20 and browsers): no
 * dependency, and no Node types for the package's users.
 */
import type { Middleware } from 'openapi-fetch';

/** An access key pair: the AK (`Access=`, no secret) and the SK that signs. */
export interface AccessKey {
  accessKey: string;
  secretKey: string;
}

const ALGORITHM = 'SDK-HMAC-SHA256';

/** Percent-encodes as the SDKs do: UTF-8, `A-Za-z0-9-_.~` kept, every other byte `%XX` (upper case). */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI: each segment of the path as sent, encoded again, and a trailing `/`. */
export function canonicalUri(pathname: string): string {
  const encoded = pathname.split('/').map(percentEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** The canonical query: pairs decoded, encoded, sorted by key then value. */
export function canonicalQuery(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [percentEncode(decodeURIComponent(key)), percentEncode(decodeURIComponent(value))] as const;
    });
  pairs.sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A time as X-Sdk-Date has it: YYYYMMDDTHHMMSSZ (UTC). */
export function sdkDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const encoder = new TextEncoder();
const bytes = (data: string | Uint8Array): Uint8Array<ArrayBuffer> => (typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data));
const toHex = (buffer: ArrayBuffer): string => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/** The hex SHA-256 of text or bytes. */
async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bytes(data)));
}

/** The hex HMAC-SHA256 of `text` keyed with `secretKey`. */
async function hmacHex(secretKey: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', bytes(secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, bytes(text)));
}

/**
 * Signs a request: sets X-Sdk-Date and Authorization over its method, URL, Host, Content-Type (when it
 * has one) and body bytes; returns the signed request (a new one when the body had to be read).
 */
export async function signRequest(request: Request, key: AccessKey, now: Date = new Date()): Promise<Request> {
  const url = new URL(request.url);
  const body = request.body === null ? new Uint8Array(0) : new Uint8Array(await request.clone().arrayBuffer());
  const headers: Record<string, string> = { host: url.host, 'x-sdk-date': sdkDate(now) };
  const contentType = request.headers.get('content-type');
  if (contentType !== null) headers['content-type'] = contentType;
  const names = Object.keys(headers).sort();
  const canonical = [request.method.toUpperCase(), canonicalUri(url.pathname), canonicalQuery(url.search), names.map((n) => `${n}:${(headers[n] as string).trim()}\n`).join(''), names.join(';'), await sha256Hex(body)].join('\n');
  const signature = await hmacHex(key.secretKey, `${ALGORITHM}\n${headers['x-sdk-date']}\n${await sha256Hex(canonical)}`);
  request.headers.set('X-Sdk-Date', headers['x-sdk-date'] as string);
  request.headers.set('Authorization', `${ALGORITHM} Access=${key.accessKey}, SignedHeaders=${names.join(';')}, Signature=${signature}`);
  return request;
}

/** Middleware that signs every request with an access key (the clock is for tests). */
export function signingMiddleware(key: AccessKey, now: () => Date = () => new Date()): Middleware {
  return {
    onRequest: ({ request }) => signRequest(request, key, now()),
  };
}
