/**
 * `npm run check:breaking`: compares each contract's working spec (what `npm run generate` bundles) with its
 * latest release (spec/releases/ for the Agent contract, spec/releases/admin/ for the admin contract) and
 * exits 1 on a breaking change that is not reviewed, printing one line per change (severity, operation,
 * location, what changed old → new, rule).
 *
 *   --contract NAME   check only this contract (agent, admin)
 *   --root DIR        work on another checkout's spec/ (the tests use a tampered copy)
 *   --spec FILE       compare this bundled document instead of bundling spec/ (needs --contract)
 *   --base FILE       compare against this bundled document instead of the latest release (needs --contract)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { approvalsFile, readApprovals } from './breaking/approvals.js';
import { formatChange } from './breaking/diff.js';
import { runGate } from './breaking/gate.js';
import { latestRelease } from './breaking/releases.js';
import { bundleSpec, toolRoot } from './bundle.js';
import { contractNamed, contracts, releaseCommand, type Contract } from './contracts.js';

const readJson = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

interface Options {
  root: string;
  spec?: string;
  base?: string;
}

/** Gates one contract, printing what changed; true when it passes. */
function check(contract: Contract, options: Options): boolean {
  const name = `check:breaking (${contract.name})`;
  const base = options.base ? { version: String(readJson(options.base).info?.version), document: readJson(options.base) } : latestRelease(options.root, contract);
  if (!base) {
    console.log(`${name}: no release in ${contract.releases}/ yet, nothing to compare with. Release the baseline: ${releaseCommand(contract)}`);
    return true;
  }
  const working = options.spec ? readJson(options.spec) : bundleSpec(options.root, contract.root);
  const result = runGate({ contract, base, working, approvals: readApprovals(approvalsFile(options.root, contract)) });
  console.log(`${name}: spec ${result.version} against release ${base.version}`);
  for (const change of result.changes) {
    const reviewed = result.approved.some((a) => a.change === change);
    console.log(`  ${formatChange(change)}${reviewed ? '  (reviewed)' : ''}`);
  }
  const count = (s: string): number => result.changes.filter((c) => c.severity === s).length;
  console.log(`  ${count('breaking')} breaking (${result.approved.length} reviewed), ${count('warning')} warning, ${count('info')} info`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  for (const problem of result.problems) console.error(`  FAIL: ${problem}`);
  if (result.problems.length > 0) {
    console.error(`${name} failed: ${contract.consumers} would break. Undo the change, or review it (spec/README.md, "How to change the contract").`);
    return false;
  }
  console.log(`${name}: passed`);
  return true;
}

function main(): number {
  const { values } = parseArgs({ options: { contract: { type: 'string' }, root: { type: 'string' }, spec: { type: 'string' }, base: { type: 'string' } } });
  if ((values.spec || values.base) && !values.contract) {
    console.error(`check:breaking: --spec and --base compare one document: name its contract with --contract (${contracts.map((c) => c.name).join(' or ')}).`);
    return 2;
  }
  const selected = values.contract ? [contractNamed(values.contract)] : contracts;
  const options: Options = { root: values.root ? resolve(values.root) : toolRoot, spec: values.spec, base: values.base };
  // every contract is checked (and printed) even when an earlier one fails
  const passed = selected.map((contract) => check(contract, options));
  return passed.every(Boolean) ? 0 : 1;
}

try {
  process.exit(main());
} catch (err) {
  // an unknown --contract, a malformed approvals file: the message says what to fix
  console.error(`check:breaking: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
