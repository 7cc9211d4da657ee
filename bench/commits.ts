/**
 * `npm run bench:commits`: how long a report waits for its durable commit on this disk. The real SQLite store
 * (WAL, synchronous=FULL, group commit) takes batches of --batch concurrent reports, one batch at a time,
 * in a fresh database under --dir; prints the commit-time percentiles. A report's latency under load cannot
 * be lower than this: the commit (and its fsync) runs on the event loop, so a request that arrives during
 * one slow commit waits for it and then for its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore } from '../server/store/sqlite.js';
import { EXAMPLE_SOURCE } from '../harness/fixtures.js';
import { REPORT_BODY } from './lib.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: tmpdir() },
    batches: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '30' },
  },
});
const batches = Number(values.batches);
const batchSize = Number(values.batch);
if (!(batches >= 10 && batchSize >= 1)) throw new Error('--batches must be at least 10 and --batch at least 1');

const dir = mkdtempSync(join(values.dir, 'sms-commits-'));
const store = openSqliteStore(join(dir, 'sms.sqlite'));
try {
  const now = new Date();
  await store.addSource(EXAMPLE_SOURCE, 'bench', now);
  const detail = JSON.stringify(JSON.parse(REPORT_BODY).result_detail);
  console.log(`${batches} commits of ${batchSize} reports each, on ${dir} (WAL, synchronous=FULL)`);
  const ms: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: batchSize }, (_, i) =>
        store.recordResult({ serverId: EXAMPLE_SOURCE, commandName: 'UPLOAD_LOG', result: 'success', resultDetailJson: detail, receivedAt: now, requestId: `${b}-${i}` }),
      ),
    );
    ms.push(performance.now() - t0);
    if ((b + 1) % Math.ceil(batches / 4) === 0) console.log(`  ${b + 1}/${batches} commits`);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => (ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] as number).toFixed(2);
  console.log(`commit: p50 ${at(50)} ms  p90 ${at(90)} ms  p99 ${at(99)} ms  max ${at(100)} ms`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
