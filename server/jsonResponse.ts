/** The app's res.json: one write, no ETag, a stored result_detail sent as the text stored. */
import type { Response } from 'express';
import { stringifyJson } from './jsonText.js';

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
