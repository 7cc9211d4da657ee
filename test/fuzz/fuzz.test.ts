/** Property-based fuzzing of the in-process server, both contracts, on SQLite and PostgreSQL (short run; `npm run fuzz -- --runs 10000` runs long). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { hostileProperties } from '../../contract/fuzz/hostile.js';
import { adminProperties, properties, type FuzzStats } from '../../contract/fuzz/properties.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';

for (const credential of ['token', 'AK/SK signature'] as const) describe(`fuzzing from the spec, with ${credential === 'token' ? 'a token' : 'an AK/SK signature'}`, () => {
  let server: InProcessServer;
  const stats: FuzzStats = { runs: 0, statuses: {} };
  let props: ReturnType<typeof properties>;

  beforeAll(async () => {
    server = await startInProcess();
    await server.addSource('fuzz-source');
    props = properties(
      {
        baseUrl: server.baseUrl,
        token: (await server.token()).secret,
        ...(credential === 'token' ? {} : { accessKey: await server.accessKey() }),
        serverId: 'fuzz-source',
        storedReport: async (id, requestId) => (await server.store.listResults(id)).find((r) => r.requestId === requestId),
      },
      stats,
    );
  });
  afterAll(async () => server.close());

  it('valid polls get 200 or a documented 404', async () => {
    await fc.assert(props.validPoll, { numRuns: 80 });
  });

  it('valid reports (bounds, enums, boundary lengths, string result_detail) get 200 or a documented 404, and are stored as sent', async () => {
    await fc.assert(props.validReport, { numRuns: 120 });
    expect(stats.statuses['valid UpdateCommandResult 200']).toBeGreaterThan(10);
  });

  it('each single mutation of a report gets a 400 in the spec error shape, never a 5xx', async () => {
    await fc.assert(props.invalidReport, { numRuns: 200 });
    const kinds = Object.keys(stats.statuses).filter((k) => k.startsWith('invalid')).map((k) => k.replace(/ \d+$/, ''));
    expect(new Set(kinds).size).toBeGreaterThanOrEqual(7);
    expect(Object.keys(stats.statuses).some((k) => / 5\d\d$/.test(k))).toBe(false);
  });
});

for (const db of databaseKinds) {
  const suite = db.skip ? describe.skip : describe;
  suite(`fuzzing the admin API on ${db.kind}${db.skip ? ` (${db.skip})` : ''}`, () => {
    let database: TestDatabase;
    let store: Store;
    let server: InProcessServer;
    const stats: FuzzStats = { runs: 0, statuses: {} };
    let props: ReturnType<typeof adminProperties>;

    beforeAll(async () => {
      database = await db.fresh();
      store = await openStore(database.url);
      server = await startInProcess({ store });
      await server.addSource('fuzz-admin');
      props = adminProperties({ baseUrl: server.baseUrl, adminToken: (await server.token({ kind: 'admin' })).secret, serverId: 'fuzz-admin' }, stats);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
      await database?.drop();
    });

    it('valid writes (CreateSource, CreateCommand, CreateToken) get 201, or the 404/409 their state explains, and what was written reads back', async () => {
      await fc.assert(props.validAdminWrite, { numRuns: 120 });
      for (const id of ['CreateSource', 'CreateCommand', 'CreateToken']) expect(stats.statuses[`valid ${id} 201`], id).toBeGreaterThan(3);
    });

    it('valid reads get 200, or 404 for an unregistered source server', async () => {
      await fc.assert(props.validAdminRead, { numRuns: 80 });
      expect(stats.statuses['valid ListSources 200']).toBeGreaterThan(3);
    });

    it('each single mutation of a write gets a 400 in the spec error shape, never a 5xx', async () => {
      await fc.assert(props.invalidAdminWrite, { numRuns: 150 });
      const kinds = new Set(Object.keys(stats.statuses).filter((k) => k.startsWith('invalid')).map((k) => /\((.+)\)/.exec(k)?.[1]));
      expect(kinds.size).toBeGreaterThanOrEqual(7);
      expect(Object.keys(stats.statuses).some((k) => / 5\d\d$/.test(k))).toBe(false);
    });
  });
}

for (const db of databaseKinds) {
  const suite = db.skip ? describe.skip : describe;
  suite(`fuzzing what the hostile probe found, on ${db.kind}${db.skip ? ` (${db.skip})` : ''}`, () => {
    let database: TestDatabase;
    let store: Store;
    let server: InProcessServer;
    const stats: FuzzStats = { runs: 0, statuses: {} };
    let props: ReturnType<typeof hostileProperties>;

    beforeAll(async () => {
      database = await db.fresh();
      store = await openStore(database.url);
      server = await startInProcess({ store });
      await server.addSource('fuzz-hostile');
      for (const name of ['START', 'SYNC', 'STOP'] as const) await server.enqueue('fuzz-hostile', name);
      const target = { baseUrl: server.baseUrl, token: (await server.token()).secret, adminToken: (await server.token({ kind: 'admin' })).secret, serverId: 'fuzz-hostile' };
      props = hostileProperties(target, stats);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
      await database?.drop();
    });

    it('tampered cursors get 200 or 400, never a 5xx', async () => {
      await fc.assert(props.tamperedCursor, { numRuns: 150 });
      expect(Object.keys(stats.statuses).filter((k) => k.startsWith('tampered cursor') && k.endsWith(' 400')).length).toBeGreaterThanOrEqual(3);
    });

    it('a lone surrogate anywhere in a body gets a 400', async () => {
      await fc.assert(props.loneSurrogate, { numRuns: 100 });
    });

    it('result_detail texts JSON.parse would change are read back through the admin API exactly as sent', async () => {
      await fc.assert(props.exactReadBack, { numRuns: 40 });
    });

    it('raw framing variants are answered as the contract says, in its JSON', async () => {
      await fc.assert(props.rawFraming, { numRuns: 80 });
      expect(stats.statuses['raw framing UpdateCommandResult 200']).toBeGreaterThan(3);
      expect(stats.statuses['raw framing UpdateCommandResult 400']).toBeGreaterThan(3);
    });
  });
}

describe('fuzzing a broken server', () => {
  it('fails with the seed and the shrunk counterexample', async () => {
    const express = (await import('express')).default;
    const app = express();
    app.use(express.json({ strict: false }));
    app.post('/v3/sources/:id/command_result', (req, res) => {
      res.setHeader('X-Request-Id', 'r');
      // broken: an unknown field crashes it instead of a 400
      if (Object.keys(req.body ?? {}).some((k) => !['command_name', 'result', 'result_detail'].includes(k))) return res.status(500).json({ error_code: 'SMS.2007', error_msg: 'crash' });
      return res.status(400).json({ error_code: 'SMS.2001', error_msg: 'invalid' });
    });
    app.use((_err: unknown, _req: unknown, res: import('express').Response, _next: unknown) => {
      res.setHeader('X-Request-Id', 'r');
      res.status(400).json({ error_code: 'SMS.2003', error_msg: 'malformed' });
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (server.address() as import('node:net').AddressInfo).port;
      const props = properties({ baseUrl: `http://127.0.0.1:${port}`, token: 't', serverId: 's' }, { runs: 0, statuses: {} });
      const result = await fc.check(props.invalidReport, { numRuns: 300, seed: 1234, includeErrorInReport: true });
      expect(result.failed).toBe(true);
      const report = fc.defaultReportMessage(result) ?? '';
      expect(report).toContain('seed: 1234');
      expect(report).toContain('Counterexample');
      expect(report).toMatch(/Shrunk \d+ time/);
      expect(report).toContain('extra-field');
      expect(report).toContain('UpdateCommandResult 500: expected one of 400');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
