/**
 * `npm run check:breaking`: compares the working spec (what `npm run generate` bundles) with the latest
 * release in spec/releases/ and exits 1 on a breaking change that is not reviewed, printing one line per
 * change (severity, operation, location, what changed old → new, rule).
 *
 *   --root DIR        work on another checkout's spec/ (the tests use a tampered copy)
 *   --spec FILE       compare this bundled document instead of bundling spec/
 *   --base FILE       compare against this bundled document instead of the latest release
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { approvalsFile, readApprovals } from './breaking/approvals.js';
import { formatChange } from './breaking/diff.js';
import { runGate } from './breaking/gate.js';
import { latestRelease } from './breaking/releases.js';
import { bundleSpec, toolRoot } from './bundle.js';

const readJson = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

function main(): number {
  const { values } = parseArgs({ options: { root: { type: 'string' }, spec: { type: 'string' }, base: { type: 'string' } } });
  const root = values.root ? resolve(values.root) : toolRoot;
  const base = values.base ? { version: String(readJson(values.base).info?.version), document: readJson(values.base) } : latestRelease(root);
  if (!base) {
    console.log('check:breaking: no release in spec/releases/ yet, nothing to compare with. Release the baseline: npm run release -- <info.version>');
    return 0;
  }
  const working = values.spec ? readJson(values.spec) : bundleSpec(root);
  const result = runGate({ base, working, approvals: readApprovals(approvalsFile(root)) });
  console.log(`check:breaking: spec ${result.version} against release ${base.version}`);
  for (const change of result.changes) {
    const reviewed = result.approved.some((a) => a.change === change);
    console.log(`  ${formatChange(change)}${reviewed ? '  (reviewed)' : ''}`);
  }
  const count = (s: string): number => result.changes.filter((c) => c.severity === s).length;
  console.log(`  ${count('breaking')} breaking (${result.approved.length} reviewed), ${count('warning')} warning, ${count('info')} info`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  for (const problem of result.problems) console.error(`  FAIL: ${problem}`);
  if (result.problems.length > 0) {
    console.error('check:breaking failed: Agents in the field would break. Undo the change, or review it (spec/README.md, "How to change the contract").');
    return 1;
  }
  console.log('check:breaking: passed');
  return 0;
}

process.exit(main());
