/**
 * The patch we carry on express-openapi-validator (patches/, applied by `npm ci`): its route lookup
 * compiles each route's matcher once instead of on every request. The benchmark's naive reference runs the
 * published release (the `express-openapi-validator-stock` alias), which still compiles per request.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import express from 'express';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { call, commandPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';

// The path-to-regexp instance both copies of the validator call (the same hoisted module)
const pathToRegexpModule = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'))('path-to-regexp') as {
  pathToRegexp: (...args: unknown[]) => unknown;
};

describe('express-openapi-validator route lookup', () => {
  const servers: Array<{ close(): Promise<void> | void }> = [];
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  async function compilesPerRequest(baseUrl: string, token: string): Promise<number> {
    await call(baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token }); // first request: validators and matchers are built
    const spy = vi.spyOn(pathToRegexpModule, 'pathToRegexp');
    for (let i = 0; i < 10; i++) expect((await call(baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token })).status).toBe(200);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    return calls / 10;
  }

  it('our server compiles no route matcher per request (the patch is applied)', async () => {
    const server: InProcessServer = await startInProcess();
    servers.push(server);
    await server.addSource(EXAMPLE_SOURCE);
    expect(await compilesPerRequest(server.baseUrl, (await server.token()).secret)).toBe(0);
  });

  it('the published release (the naive reference) compiles at least one per request', async () => {
    const stock = (await import('express-openapi-validator-stock')) as typeof import('express-openapi-validator');
    const spec = JSON.parse(readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8')) as object;
    const app = express();
    app.use(stock.middleware({ apiSpec: spec as never, validateSecurity: false }));
    app.get('/v3/sources/:server_id/command', (_req, res) => void res.json({ command_name: 'SKIP' }));
    const listening = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push({ close: () => new Promise<void>((r) => listening.close(() => r())) });
    const { port } = listening.address() as { port: number };
    expect(await compilesPerRequest(`http://127.0.0.1:${port}`, 'any')).toBeGreaterThanOrEqual(1);
  });
});
