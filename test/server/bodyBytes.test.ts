/**
 * server/bodyBytes.ts: a body is read once, and every reader after the first, of whatever options, gets
 * the first one's outcome (the bytes, none, or the error), which is how the fast path hands Express a
 * request whose body it read and how the JSON parser gets a signed body auth read.
 */
import { createServer, request as send, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bodyReader } from '../../server/bodyBytes.js';

/** Serves one request with `handle`, sends it `body` with `headers`, and gives back what `handle` resolved to. */
async function serveOnce<T>(headers: Record<string, string>, body: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<T>): Promise<T> {
  let outcome!: Promise<T>;
  const server = createServer((req, res) => {
    outcome = handle(req, res);
    void outcome.finally(() => res.end()).catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = send({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
    return await outcome;
  } finally {
    server.close();
  }
}

const json = bodyReader({ type: 'application/json', limit: 64 });
const any = bodyReader({ type: () => true, limit: 64, inflate: false });

describe('bodyReader', () => {
  it('reads the bytes once: a second reader of other options gets the same bytes', async () => {
    const [first, second] = await serveOnce({ 'Content-Type': 'text/plain' }, 'hello', async (req, res) => [await any(req, res), await json(req, res)]);
    expect(first?.toString()).toBe('hello');
    expect(second).toBe(first);
  });

  it('gives undefined for a content type it does not read, and keeps that for the next reader', async () => {
    const [first, second] = await serveOnce({ 'Content-Type': 'text/plain' }, 'hello', async (req, res) => [await json(req, res), await any(req, res)]);
    expect(first).toBeUndefined();
    expect(second).toBeUndefined();
  });

  it('keeps the error for the next reader: a body over the limit is refused twice, read never', async () => {
    const errors = await serveOnce({ 'Content-Type': 'application/json' }, `"${'x'.repeat(100)}"`, async (req, res) => {
      const caught = async (read: Promise<unknown>) => read.then(() => 'read', (err: { type?: string }) => err.type);
      return [await caught(json(req, res)), await caught(any(req, res))];
    });
    expect(errors).toEqual(['entity.too.large', 'entity.too.large']);
  });
});
