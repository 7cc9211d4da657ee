/**
 * AK/SK request signatures (SDK-HMAC-SHA256), as Huawei Cloud's official SDKs sign and the Agent
 * contract's `AkSkSignature` scheme describes: the Authorization header read, the canonical request
 * rebuilt from what arrived (the path as sent, the raw body's bytes), and the signature checked in
 * constant time. Pure functions: the access key is looked up by auth.ts.
 */
import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SmsError } from './errors.js';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const DATE_HEADER = 'x-sdk-date';
export const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';
/** How far X-Sdk-Date may be from the server's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** The headers every signature must cover. */
const REQUIRED_SIGNED = ['host', DATE_HEADER] as const;

const AUTHORIZATION = /^SDK-HMAC-SHA256 +Access=([A-Za-z0-9_-]{1,64}), *SignedHeaders=([a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*), *Signature=([0-9a-f]{64})$/;
const SDK_DATE = /^\d{8}T\d{6}Z$/;
const EXPECTED = `"${SIGNING_ALGORITHM} Access=AK, SignedHeaders=h1;h2, Signature=hex"`;

/** What a request claims in its Authorization header. */
export interface SignatureClaim {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** The parts of a request a signature covers, as they arrived. */
export interface SignedRequest {
  method: string;
  /** The request target as sent: path and query, escapes included. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Whether an Authorization header claims an SDK-HMAC-SHA256 signature (then it is checked as one). */
export function claimsSignature(authorization: string | undefined): authorization is string {
  return authorization !== undefined && authorization.startsWith(`${SIGNING_ALGORITHM} `);
}

/** The AK, signed header names and signature of an Authorization header, or the 401 SmsError (SMS.9005). */
export function parseAuthorization(authorization: string): SignatureClaim {
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) throw new SmsError('malformedSignature', `the Authorization header is not an ${SIGNING_ALGORITHM} signature: expected ${EXPECTED}`);
  const [, accessKey, names, signature] = match as unknown as [string, string, string, string];
  const signedHeaders = names.split(';');
  for (let i = 1; i < signedHeaders.length; i++) {
    if ((signedHeaders[i - 1] as string) >= (signedHeaders[i] as string)) throw new SmsError('malformedSignature', 'SignedHeaders must list lower-case header names once each, sorted');
  }
  for (const name of REQUIRED_SIGNED) {
    if (!signedHeaders.includes(name)) throw new SmsError('malformedSignature', `SignedHeaders must include ${REQUIRED_SIGNED.join(' and ')} (it lacks ${name})`);
  }
  return { accessKey, signedHeaders, signature };
}

/** The time X-Sdk-Date names, or the 401 SmsError (SMS.9005) for a missing or malformed one. */
export function parseSdkDate(value: string | undefined): Date {
  if (value === undefined || !SDK_DATE.test(value)) throw new SmsError('malformedSignature', 'X-Sdk-Date must be the signing time as YYYYMMDDTHHMMSSZ (UTC)');
  const part = (from: number, to: number): number => Number(value.slice(from, to));
  const [y, mo, d, h, mi, s] = [part(0, 4), part(4, 6), part(6, 8), part(9, 11), part(11, 13), part(13, 15)];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new SmsError('malformedSignature', `X-Sdk-Date ${value} is not a real time`);
  }
  return at;
}

/** Throws the 401 SmsError (SMS.9006) unless `signedAt` is within MAX_CLOCK_SKEW_MS of `now`. */
export function checkSigningTime(signedAt: Date, dateHeader: string, now: Date): void {
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) throw new SmsError('staleSignature', dateHeader, now.toISOString());
}

/** Percent-encodes as the SDKs do: UTF-8, `A-Za-z0-9-_.~` kept, every other byte `%XX` (upper case). */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Characters percentEncode keeps, and `/`: a path of only these is its own encoding (every spec path is). */
const PLAIN_PATH = /^[A-Za-z0-9\-_.~/]*$/;

/** A path as the canonical request has it: each segment as sent, encoded again, and a trailing `/`. */
export function canonicalUri(path: string): string {
  const encoded = PLAIN_PATH.test(path) ? path : path.split('/').map(percentEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** A query string as the canonical request has it: pairs decoded, encoded, sorted by key then value. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').filter((p) => p !== '').map((pair) => {
    const at = pair.indexOf('=');
    const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    return [percentEncode(decoded(key)), percentEncode(decoded(value))] as const;
  });
  pairs.sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A query component decoded; one with a broken escape is left as sent (its signature then cannot match a client's). */
function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** The hex SHA-256 of some bytes or text (crypto.hash: one call, no Hash object per request). */
export function sha256Hex(data: Buffer | string): string {
  return hash('sha256', data, 'hex');
}

/** The SHA-256 of no bytes (a poll's body). */
const EMPTY_BODY_SHA256 = sha256Hex('');

/** The body hash the canonical request ends with: X-Sdk-Content-Sha256 when signed (it must then be the body's), else the body's. */
export function bodyHash(request: SignedRequest, signedHeaders: readonly string[]): string {
  const actual = request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body);
  const declared = request.headers[CONTENT_SHA256_HEADER];
  if (typeof declared !== 'string' || !signedHeaders.includes(CONTENT_SHA256_HEADER)) return actual;
  if (declared === UNSIGNED_PAYLOAD ? request.body.length > 0 : declared.toLowerCase() !== actual) throw new SmsError('signatureMismatch');
  return declared;
}

/** The canonical request: method, URI, query, signed headers (name:value lines), their names, body hash. */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const at = request.url.indexOf('?');
  const [path, query] = at < 0 ? [request.url, ''] : [request.url.slice(0, at), request.url.slice(at + 1)];
  let lines = '';
  for (const name of signedHeaders) lines += `${name}:${headerValue(request.headers, name)}\n`;
  return `${request.method.toUpperCase()}\n${canonicalUri(path)}\n${canonicalQuery(query)}\n${lines}\n${signedHeaders.join(';')}\n${payloadHash}`;
}

/** A header's value as signed: trimmed, repeats joined as Node joins them; '' when it did not arrive. */
function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

/** The string the SK signs. */
export function stringToSign(sdkDate: string, canonical: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** How many SKs keep their HMAC key object (importing the key is half an HMAC's cost); it starts over when full. */
const KEY_OBJECTS_SIZE = 10_000;
const keyObjects = new Map<string, KeyObject>();

/** The HMAC key object of an SK, made once. */
function keyObjectOf(secretKey: string): KeyObject {
  let key = keyObjects.get(secretKey);
  if (key === undefined) {
    if (keyObjects.size >= KEY_OBJECTS_SIZE) keyObjects.clear();
    key = createSecretKey(Buffer.from(secretKey, 'utf8'));
    keyObjects.set(secretKey, key);
  }
  return key;
}

/** The HMAC-SHA256 of `text` keyed with the SK, as bytes (compared with the presented signature's: no hex text made). */
export function hmac(secretKey: string, text: string): Buffer {
  return createHmac('sha256', keyObjectOf(secretKey)).update(text).digest();
}

/** Throws the 401 SmsError (SMS.9009) unless the claim's signature is the SK's for this request; compared in constant time. */
export function checkSignature(claim: SignatureClaim, request: SignedRequest, secretKey: string): void {
  const sdkDate = headerValue(request.headers, DATE_HEADER);
  const canonical = canonicalRequest(request, claim.signedHeaders, bodyHash(request, claim.signedHeaders));
  const expected = hmac(secretKey, stringToSign(sdkDate, canonical));
  const presented = Buffer.from(claim.signature, 'hex');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw new SmsError('signatureMismatch');
}
