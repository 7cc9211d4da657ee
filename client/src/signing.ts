/**
 * AK/SK request signing (SDK-HMAC-SHA256) as the contract's `AkSkSignature` scheme describes it and
 * Huawei Cloud's official SDKs sign: plain functions over a fetch Request, and the middleware that signs
 * every request of a client. node:crypto only.
 */
import { createHash, createHmac } from 'node:crypto';
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

const hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

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
  const canonical = [request.method.toUpperCase(), canonicalUri(url.pathname), canonicalQuery(url.search), names.map((n) => `${n}:${(headers[n] as string).trim()}\n`).join(''), names.join(';'), hex(body)].join('\n');
  const signature = createHmac('sha256', key.secretKey).update(`${ALGORITHM}\n${headers['x-sdk-date']}\n${hex(canonical)}`).digest('hex');
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
