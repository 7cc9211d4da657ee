/**
 * kill -9 under POST load, on SQLite and on PostgreSQL: every report that got a 200 is in the database
 * after the restart. The test counts them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeToken } from '../../harness/tokens.js';
import { openStore } from '../../server/store/index.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres } from '../../harness/databases.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startServerProcess } from '../../harness/processes.js';

const CONCURRENCY = 16;
const LOAD_MS = 1500;

async function killUnderLoad(databaseUrl: string): Promise<{ acked: number; stored: number; lost: string[]; failedInFlight: number }> {
  const setup = await openStore(databaseUrl);
  const now = new Date();
  await setup.addSource('kill-src', null, now);
  const { secret: token } = await storeToken(setup, { name: 'kill', now });
  await setup.close();

  let server = await startServerProcess({ DATABASE_URL: databaseUrl });
  const acked: string[] = [];
  let failedInFlight = 0;
  let stop = false;
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; !stop; n++) {
      try {
        const r = await call(server.baseUrl, 'POST', resultPath('kill-src'), { token, json: { command_name: 'UPLOAD_LOG', result: 'success', result_detail: { w, n } } });
        if (r.status === 200) acked.push(r.headers.get('x-request-id') as string);
      } catch {
        failedInFlight++; // the connection died with the process: not acknowledged, may or may not be stored
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
  await new Promise((r) => setTimeout(r, LOAD_MS));
  await server.stop('SIGKILL');
  stop = true;
  await Promise.all(workers);

  server = await startServerProcess({ DATABASE_URL: databaseUrl });
  const health = await call(server.baseUrl, 'GET', commandPath('kill-src'), { token });
  expect(health.status).toBe(200);
  const store = await openStore(databaseUrl);
  const stored = new Set((await store.listResults('kill-src')).map((r) => r.requestId));
  await store.close();
  await server.stop();
  return { acked: acked.length, stored: stored.size, lost: acked.filter((id) => !stored.has(id)), failedInFlight };
}

describe('kill -9 under POST load', () => {
  it('loses no acknowledged report on SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-kill-'));
    try {
      const r = await killUnderLoad(`sqlite:${join(dir, 'sms.sqlite')}`);
      console.log(`SQLite kill -9: ${r.acked} reports acknowledged, ${r.stored} stored after restart, ${r.lost.length} lost, ${r.failedInFlight} requests cut off in flight`);
      expect(r.acked).toBeGreaterThan(100);
      expect(r.lost).toEqual([]);
      expect(r.stored).toBeGreaterThanOrEqual(r.acked);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (TEST_DATABASE_URL ? it : it.skip)(`loses no acknowledged report on PostgreSQL${TEST_DATABASE_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, async () => {
    const db = await freshPostgres();
    try {
      const r = await killUnderLoad(db.url);
      console.log(`PostgreSQL kill -9: ${r.acked} reports acknowledged, ${r.stored} stored after restart, ${r.lost.length} lost, ${r.failedInFlight} requests cut off in flight`);
      expect(r.acked).toBeGreaterThan(100);
      expect(r.lost).toEqual([]);
      expect(r.stored).toBeGreaterThanOrEqual(r.acked);
    } finally {
      await db.drop();
    }
  });
});
