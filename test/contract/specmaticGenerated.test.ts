/**
 * Requests generated from the bundled Agent contract by a generator we did not write: Specmatic's `test`
 * in generative mode (harness/specmatic.ts), against the server in-process on SQLite, with a dictionary of
 * the registered source server and both credentials (a token, and an access key whose signatures the
 * proxy computes). A positive request (one the contract allows) must get no 400 and no 5xx, and 200 on the
 * registered source server; a negative one a 4xx, never a 5xx.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { runSpecmaticTests, type GeneratedExchange, type SpecmaticRun } from '../../harness/specmatic.js';

const show = (e: GeneratedExchange): string => `${e.credential} ${e.method} ${e.target} ${e.body.slice(0, 160)} → ${e.status} ${e.error ?? ''}`;

describe('Specmatic-generated requests against the server', () => {
  let server: InProcessServer;
  let outcome: SpecmaticRun;

  beforeAll(async () => {
    server = await startInProcess();
    await server.addSource(EXAMPLE_SOURCE);
    // every source server granted, so that a generated id nobody registered reaches validation (and 404s)
    const token = await server.token({ sources: null });
    const accessKey = await server.accessKey({ sources: null });
    outcome = await runSpecmaticTests({
      root: process.cwd(),
      spec: JSON.parse(readFileSync('generated/openapi.json', 'utf8')) as object,
      dictionary: { PARAMETERS: { PATH: { server_id: EXAMPLE_SOURCE } } },
      baseUrl: server.baseUrl,
      token: token.secret,
      accessKey: { accessKey: accessKey.accessKey, secretKey: accessKey.secretKey },
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
  });

  const positive = (e: GeneratedExchange): boolean => e.expected !== undefined && e.expected < 300;
  const negative = (e: GeneratedExchange): boolean => e.expected !== undefined && e.expected >= 400;
  const onRegistered = (e: GeneratedExchange): boolean => e.target.startsWith(`/v3/sources/${EXAMPLE_SOURCE}/`);

  it('ran through the proxy: both operations generated with both credentials, and stored on the registered source server', () => {
    expect(outcome.proxyErrors).toEqual([]);
    for (const method of ['GET', 'POST']) {
      for (const credential of ['token', 'signature'] as const) {
        const served = outcome.exchanges.filter((e) => positive(e) && e.method === method && e.credential === credential && onRegistered(e) && e.status === 200);
        expect(served.length, `${method} with a ${credential}: positive requests answered 200`).toBeGreaterThanOrEqual(method === 'GET' ? 1 : 10);
      }
    }
    expect(outcome.exchanges.filter(negative).length, 'negative requests').toBeGreaterThanOrEqual(20);
  });

  it('answers no positive request 400 or 5xx: 200 on the registered source server, the documented 404 elsewhere', () => {
    expect(outcome.exchanges.filter((e) => positive(e) && (e.status === 400 || e.status >= 500)).map(show)).toEqual([]);
    expect(outcome.exchanges.filter((e) => positive(e) && onRegistered(e) && e.status !== 200).map(show)).toEqual([]);
    expect(outcome.exchanges.filter((e) => positive(e) && !onRegistered(e) && !(e.status === 404 && e.error?.startsWith('SMS.2006 '))).map(show)).toEqual([]);
  });

  it('answers every negative request 4xx, never 5xx', () => {
    expect(outcome.exchanges.filter((e) => negative(e) && (e.status < 400 || e.status >= 500)).map(show)).toEqual([]);
  });

  it("agrees with Specmatic's own verdict: its only failures are the 404s for source servers nobody registered (every answer else matched the spec)", () => {
    const unregistered = outcome.exchanges.filter((e) => positive(e) && !onRegistered(e)).length;
    expect(unregistered).toBeGreaterThan(0);
    expect(outcome.failures, outcome.tail).toBe(unregistered);
  });
});
