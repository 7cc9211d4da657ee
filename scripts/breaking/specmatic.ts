/**
 * A second opinion on check:breaking: Specmatic's backward-compatibility check (an independent, well-kept
 * checker; the `specmatic` npm package ships its jar, run with Java 17). It compares specs changed in git
 * against a branch, so the release and the working document are committed in a scratch repository, the
 * release on a branch `base` and the working document on top. Its verdict is set beside ours: a change it
 * calls incompatible that our gate does not flag fails, unless the contract's review file names it as
 * Specmatic's false alarm (`specmatic_false_alarms`, with the version and why).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReviewEntries } from './approvals.js';

export const SPECMATIC_JAR = 'node_modules/specmatic/specmatic.jar';

export interface SpecmaticVerdict {
  compatible: boolean;
  /** What it printed about the incompatibilities (the first lines of each), for the failure message. */
  reasons: string[];
}

/** Runs Specmatic's backward-compatibility-check of `working` against `base` (both bundled documents); throws when it cannot run. */
export function specmaticVerdict(root: string, base: object, working: object): SpecmaticVerdict {
  const jar = join(root, SPECMATIC_JAR);
  if (!existsSync(jar)) throw new Error(`${SPECMATIC_JAR} is missing: run npm ci (specmatic is a devDependency).`);
  const dir = mkdtempSync(join(tmpdir(), 'specmatic-'));
  try {
    const git = (...args: string[]): void => {
      const r = spawnSync('git', ['-c', 'user.email=check@localhost', '-c', 'user.name=check', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    };
    git('init', '-q', '-b', 'base');
    writeFileSync(join(dir, 'contract.json'), `${JSON.stringify(base, null, 2)}\n`);
    git('add', 'contract.json');
    git('commit', '-q', '-m', 'release');
    git('checkout', '-q', '-b', 'working');
    writeFileSync(join(dir, 'contract.json'), `${JSON.stringify(working, null, 2)}\n`);
    git('commit', '-q', '-a', '-m', 'working');
    const r = spawnSync('java', ['-jar', jar, 'backward-compatibility-check', '--base-branch', 'base'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw new Error(`cannot run java (${r.error.message}): install Java 17, e.g. apt-get install -y openjdk-17-jre-headless.`);
    return verdictOf(`${r.stdout}\n${r.stderr}`, r.status);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The verdict in what Specmatic printed and its exit status; throws when it printed none. */
export function verdictOf(out: string, status: number | null): SpecmaticVerdict {
  if (/\(COMPATIBLE\)/.test(out) && status === 0) return { compatible: true, reasons: [] };
  if (!/\(INCOMPATIBLE\)/.test(out)) throw new Error(`Specmatic gave no verdict (exit ${status}): ${out.slice(-800)}`);
  return { compatible: false, reasons: reasonsIn(out) };
}

/** Specmatic's ">> WHERE" lines with the sentence after each, once each. */
function reasonsIn(out: string): string[] {
  const lines = out.split('\n').map((l) => l.trim());
  const reasons = new Set<string>();
  lines.forEach((line, i) => {
    if (!line.startsWith('>> ')) return;
    const next = lines.slice(i + 1).find((l) => l !== '');
    reasons.add(`${line.slice(3)}: ${next ?? '(no reason given)'}`);
  });
  return [...reasons];
}

export interface FalseAlarm {
  version: string;
  reason: string;
}

/** The false alarms of Specmatic reviewed in a contract's review file (`specmatic_false_alarms: [{ version, reason }]`). */
export function readFalseAlarms(file: string): FalseAlarm[] {
  return readReviewEntries(file, 'specmatic_false_alarms', ['version', 'reason'] as const);
}

/** What the two verdicts together say: pass, or fail with why (both verdicts named). */
export function compareVerdicts(input: { version: string; oursBreaking: number; specmatic: SpecmaticVerdict; falseAlarms: FalseAlarm[] }): { pass: boolean; lines: string[] } {
  const { version, oursBreaking, specmatic } = input;
  const ours = oursBreaking > 0 ? `breaking (${oursBreaking} change${oursBreaking === 1 ? '' : 's'})` : 'compatible';
  const theirs = specmatic.compatible ? 'compatible' : 'incompatible';
  const lines = [`our gate: ${ours}; Specmatic: ${theirs}`];
  if (specmatic.compatible || oursBreaking > 0) {
    if (specmatic.compatible && oursBreaking > 0) lines.push('Specmatic does not see what our gate flags (it has blind spots of its own, such as maxLength lowered on a request); our gate decides.');
    return { pass: true, lines };
  }
  for (const reason of specmatic.reasons.slice(0, 10)) lines.push(`  Specmatic: ${reason}`);
  const reviewed = input.falseAlarms.find((a) => a.version === version);
  if (reviewed) {
    lines.push(`reviewed as Specmatic's false alarm for ${version}: ${reviewed.reason}`);
    return { pass: true, lines };
  }
  lines.push(
    `Specmatic calls ${version} incompatible and our gate sees no breaking change: find the change it means and add a rule to scripts/breaking/rules.ts, ` +
      `or, if it is wrong, review it in the contract's review file: specmatic_false_alarms: [{ version: ${version}, reason: why }].`,
  );
  return { pass: false, lines };
}
