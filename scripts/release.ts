/**
 * `npm run release -- <version>`: freezes the bundled spec as spec/releases/<version>.json and rewrites
 * spec/CHANGELOG.md. Refuses a version that is not greater than the last release, a spec whose info.version
 * is another, a stale generated/, and a spec that fails the breaking-change gate.
 *
 *   --root DIR     work on another checkout (the tests use a copy)
 *   --date DAY     the release day (default: today, UTC)
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

const changelogFile = (root: string): string => join(root, 'spec', 'CHANGELOG.md');

function fail(message: string): number {
  console.error(`release: ${message}`);
  return 1;
}

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { root: { type: 'string' }, date: { type: 'string' } } });
  const root = values.root ? resolve(values.root) : toolRoot;
  const version = positionals[0];
  if (!version || !semver.valid(version) || semver.clean(version) !== version) {
    return fail(`usage: npm run release -- <MAJOR.MINOR.PATCH> (got ${version === undefined ? 'nothing' : JSON.stringify(version)}).`);
  }
  const latest = latestRelease(root);
  if (latest && !semver.gt(version, latest.version)) return fail(`${version} is not greater than the latest release ${latest.version}.`);

  console.log(`release ${version}: bundling spec/ …`);
  const bundled = bundleSpec(root);
  if (bundled.info.version !== version) {
    return fail(`spec/openapi.yaml has info.version ${bundled.info.version}; set it to ${version}, run \`npm run generate\`, and release again.`);
  }
  const generatedFile = join(root, 'generated', 'openapi.json');
  if (!existsSync(generatedFile) || readFileSync(generatedFile, 'utf8') !== `${JSON.stringify(bundled, null, 2)}\n`) {
    return fail('generated/ is stale: run `npm run generate` and commit it with spec/, then release again.');
  }
  const approvals = readApprovals(approvalsFile(root));
  if (latest) {
    console.log(`release ${version}: checking breaking changes against ${latest.version} …`);
    const gate = runGate({ base: latest, working: bundled, approvals });
    for (const c of gate.changes) console.log(`  ${formatChange(c)}`);
    if (gate.problems.length > 0) return fail(`the breaking-change gate fails:\n${gate.problems.map((p) => `  ${p}`).join('\n')}`);
  }

  const released = values.date ?? new Date().toISOString().slice(0, 10);
  mkdirSync(releasesDir(root), { recursive: true });
  const file = join(releasesDir(root), `${version}.json`);
  writeFileSync(file, `${JSON.stringify({ ...bundled, 'x-released': released }, null, 2)}\n`);
  writeFileSync(changelogFile(root), renderChangelog(listReleases(root), approvals));
  console.log(`release ${version}: wrote spec/releases/${version}.json and spec/CHANGELOG.md. Commit both.`);
  return 0;
}

process.exit(main());
