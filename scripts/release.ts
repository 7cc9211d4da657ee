/**
 * `npm run release -- <version>`: freezes a contract's bundled spec as <contract.releases>/<version>.json
 * (spec/releases/ for the Agent contract) and rewrites its changelog (spec/CHANGELOG.md). Refuses a version
 * that is not greater than the last release, a spec whose info.version is another, a stale generated/, and a
 * spec that fails the breaking-change gate.
 *
 *   --contract NAME  release this contract (agent, the default; admin)
 *   --root DIR       work on another checkout (the tests use a copy)
 *   --date DAY       the release day (default: today, UTC)
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import semver from 'semver';
import { approvalsFile, readApprovals } from './breaking/approvals.js';
import { renderChangelog } from './breaking/changelog.js';
import { formatChange } from './breaking/diff.js';
import { runGate } from './breaking/gate.js';
import { latestRelease, listReleases, releasesDir } from './breaking/releases.js';
import { bundleSpec, toolRoot } from './bundle.js';
import { contractNamed, releaseCommand } from './contracts.js';

/** Where a release prints: progress to `log`, refusals to `error` (the console, from the command line). */
export interface ReleaseOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Runs `npm run release` with these arguments, printing to `out`; the exit status (0 released, 1 refused). */
export function release(args: string[], out: ReleaseOutput = console): number {
  const fail = (message: string): number => {
    out.error(`release: ${message}`);
    return 1;
  };
  let parsed;
  let contract;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { contract: { type: 'string', default: 'agent' }, root: { type: 'string' }, date: { type: 'string' } } });
    contract = contractNamed(parsed.values.contract);
  } catch (err) {
    return fail((err as Error).message); // an unknown option or contract: the message names it
  }
  const { values, positionals } = parsed;
  const root = values.root ? resolve(values.root) : toolRoot;
  const version = positionals[0];
  if (!version || !semver.valid(version) || semver.clean(version) !== version) {
    return fail(`usage: ${releaseCommand(contract, '<MAJOR.MINOR.PATCH>')} (got ${version === undefined ? 'nothing' : JSON.stringify(version)}).`);
  }
  const latest = latestRelease(root, contract);
  if (latest && !semver.gt(version, latest.version)) return fail(`${version} is not greater than the latest ${contract.name} release ${latest.version}.`);

  out.log(`release ${contract.name} ${version}: bundling spec/${contract.root} …`);
  const bundled = bundleSpec(root, contract.root);
  if (bundled.info.version !== version) {
    return fail(`spec/${contract.root} has info.version ${bundled.info.version}; set it to ${version}, run \`npm run generate\`, and release again.`);
  }
  const generatedFile = join(root, contract.bundle);
  if (!existsSync(generatedFile) || readFileSync(generatedFile, 'utf8') !== `${JSON.stringify(bundled, null, 2)}\n`) {
    return fail('generated/ is stale: run `npm run generate` and commit it with spec/, then release again.');
  }
  const approvals = readApprovals(approvalsFile(root, contract));
  if (latest) {
    out.log(`release ${contract.name} ${version}: checking breaking changes against ${latest.version} …`);
    const gate = runGate({ contract, base: latest, working: structuredClone(bundled), approvals }); // what is released is what was bundled, whatever the gate does
    for (const c of gate.changes) out.log(`  ${formatChange(c)}`);
    if (gate.problems.length > 0) return fail(`the breaking-change gate fails:\n${gate.problems.map((p) => `  ${p}`).join('\n')}`);
  }

  const released = values.date ?? new Date().toISOString().slice(0, 10);
  mkdirSync(releasesDir(root, contract), { recursive: true });
  const file = `${contract.releases}/${version}.json`;
  writeFileSync(join(root, file), `${JSON.stringify({ ...bundled, 'x-released': released }, null, 2)}\n`);
  writeFileSync(join(root, contract.changelog), renderChangelog(contract, listReleases(root, contract), approvals));
  out.log(`release ${contract.name} ${version}: wrote ${file} and ${contract.changelog}. Commit both.`);
  return 0;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exit(release(process.argv.slice(2)));
