/**
 * The JSON body parser of both request paths: the bytes read once (server/bodyBytes.ts: express.raw's
 * limit, Content-Length, Content-Encoding), then checked and parsed here, keeping the text for the
 * handler, which stores result_detail exactly as sent. (express.json can keep the text only through its
 * `verify` hook, which sends every body through iconv-lite: measured 45% more CPU per report.)
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import typeIs from 'type-is';
import { bodyReader } from './bodyBytes.js';
import { SmsError } from './errors.js';

/** Where the body's text is kept on the request. */
export const RAW_BODY = Symbol('rawBody');
export type WithRawBody = { [RAW_BODY]?: string };

const FIRST_CHAR = /^[\x20\x09\x0a\x0d]*(.)/s;
/** A `\\uD800`-`\\uDFFF` escape: the only way a surrogate gets into text that is valid UTF-8 (a lone one is not Unicode). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const CHARSET = /;\s*charset=["']?([^;"'\s]+)/i;

/** A body's bytes as JSON: the value and its text (undefined for an empty body, read as `{}`), or the SmsError that answers it. */
export function parseJsonBytes(bytes: Buffer, contentType: string | undefined): { value: unknown; text: string | undefined } {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new SmsError('unsupportedEncoding', `unsupported charset "${charset.toUpperCase()}"`);
  if (!isUtf8(bytes)) throw new SmsError('unsupportedEncoding', 'the body is not valid UTF-8 (invalid byte sequences)');
  const text = bytes.toString('utf8');
  if (text.length === 0) return { value: {}, text: undefined };
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new SmsError('malformedJson', `Unexpected token ${JSON.stringify(first ?? '')}: the body must be a JSON object`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SmsError('malformedJson', (err as Error).message);
  }
  if (SURROGATE_ESCAPE.test(text)) {
    const where = loneSurrogateAt(value, 'body');
    if (where !== undefined) throw new SmsError('malformedJson', `${where} holds a lone surrogate escape (\\ud800-\\udfff without its pair), which is not Unicode text; send the character itself, or both halves of its pair`);
  }
  return { value, text };
}

/** Where in a parsed JSON value a string or key is not well-formed Unicode (a lone surrogate), or undefined; iterative (no stack to overflow). */
function loneSurrogateAt(value: unknown, root: string): string | undefined {
  const pending: Array<[unknown, string]> = [[value, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, where] = next;
    if (typeof item === 'string') {
      if (!item.isWellFormed()) return where;
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, member] of Object.entries(item)) {
        if (!key.isWellFormed()) return `a key of ${where}`;
        pending.push([member, Array.isArray(item) ? `${where}[${key}]` : `${where}.${key}`]);
      }
    }
  }
  return undefined;
}

/** What a JSON body holds: its value, and its text as sent (undefined for an empty body). */
export type ParsedJson = ReturnType<typeof parseJsonBytes>;

/** JSON's content type as both paths take it without a question: application/json, UTF-8 said or not. */
const PLAIN_JSON = /^application\/json(?:; ?charset=utf-8)?$/i;

/** Whether a request says its body is plain JSON (the fast path reads no other; Express's validator judges the rest). */
export const isPlainJson = (contentType: string | undefined): boolean => contentType !== undefined && PLAIN_JSON.test(contentType);

/**
 * Whether a request's body is JSON's to read: what express.raw's `type: 'application/json'` decides (type-is),
 * asked only when the content type is not plain JSON, which nearly every Agent sends (type-is parses and
 * matches it at a cost of a microsecond per request: `npm run bench:profile -- --op POST`).
 */
const takesJson = (req: IncomingMessage): boolean => isPlainJson(req.headers['content-type']) || Boolean(typeIs(req, 'application/json'));

/** Reads a JSON body (up to `limitBytes`) and parses it: undefined when it is not JSON's content type; rejects with the error that answers it. */
export function jsonBodyReader(limitBytes: number): (req: IncomingMessage, res: ServerResponse) => Promise<ParsedJson | undefined> {
  const read = bodyReader({ type: takesJson, limit: limitBytes });
  return (req, res) => read(req, res).then((bytes) => (bytes === undefined ? undefined : parseJsonBytes(bytes, req.headers['content-type'])));
}

/** The two middlewares: read the bytes (up to `limitBytes`), then parse them as a UTF-8 JSON object or array. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const bytes = bodyReader({ type: takesJson, limit: limitBytes });
  const read: RequestHandler = (req, res, next) => {
    bytes(req, res).then((body) => {
      if (body !== undefined) req.body = body;
      next();
    }, next);
  };
  const parse: RequestHandler = (req, _res, next) => {
    if (!Buffer.isBuffer(req.body)) return next(); // not JSON: the validator answers 415
    let parsed: ReturnType<typeof parseJsonBytes>;
    try {
      parsed = parseJsonBytes(req.body, req.get('content-type'));
    } catch (err) {
      return next(err);
    }
    req.body = parsed.value;
    if (parsed.text !== undefined) (req as unknown as WithRawBody)[RAW_BODY] = parsed.text;
    next();
  };
  return [read, parse];
}
