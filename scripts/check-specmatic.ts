/**
 * `npm run check:specmatic`: Specmatic's backward-compatibility check beside check:breaking, for each
 * contract against its latest release (scripts/breaking/specmatic.ts). An unchanged contract is not sent
 * to Specmatic (there is nothing to compare, and it takes ~10 s of Java).
 *
 *   --contract NAME   check only this contract (agent, admin)
 *   --spec FILE       check this bundled document instead of bundling spec/ (needs --contract)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { approvalsFile, readApprovals } from './breaking/approvals.js';
import { runGate } from './breaking/gate.js';
import { latestRelease } from './breaking/releases.js';
import { compareVerdicts, readFalseAlarms, specmaticVerdict } from './breaking/specmatic.js';
import { bundleSpec, toolRoot } from './bundle.js';
import { contractNamed, contracts, type Contract } from './contracts.js';

function check(contract: Contract, specFile: string | undefined): boolean {
  const name = `check:specmatic (${contract.name})`;
  const base = latestRelease(toolRoot, contract);
  if (!base) {
    console.log(`${name}: no release yet, nothing to compare with`);
    return true;
  }
  const working = specFile ? (JSON.parse(readFileSync(specFile, 'utf8')) as Record<string, any>) : bundleSpec(toolRoot, contract.root);
  const version = String(working.info?.version);
  // a release is its bundle as it was, plus the day it was released
  const { 'x-released': _released, ...released } = base.document as Record<string, unknown>;
  if (JSON.stringify(working) === JSON.stringify(released)) {
    console.log(`${name}: spec ${version} is release ${base.version} unchanged; nothing for Specmatic to compare`);
    return true;
  }
  console.log(`${name}: spec ${version} against release ${base.version} (Specmatic, about 10 s)…`);
  const gate = runGate({ contract, base, working, approvals: readApprovals(approvalsFile(toolRoot, contract)) });
  const specmatic = specmaticVerdict(toolRoot, released, working);
  const result = compareVerdicts({ version, oursBreaking: gate.changes.filter((c) => c.severity === 'breaking').length, specmatic, falseAlarms: readFalseAlarms(approvalsFile(toolRoot, contract)) });
  for (const line of result.lines) console.log(`  ${line}`);
  console.log(`${name}: ${result.pass ? 'passed' : 'FAILED'}`);
  return result.pass;
}

function main(): number {
  const { values } = parseArgs({ options: { contract: { type: 'string' }, spec: { type: 'string' } } });
  if (values.spec && !values.contract) {
    console.error(`check:specmatic: --spec checks one document: name its contract with --contract (${contracts.map((c) => c.name).join(' or ')}).`);
    return 2;
  }
  const selected = values.contract ? [contractNamed(values.contract)] : contracts;
  return selected.map((c) => check(c, values.spec)).every(Boolean) ? 0 : 1;
}

try {
  process.exit(main());
} catch (err) {
  console.error(`check:specmatic: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
