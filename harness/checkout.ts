/** A throwaway copy of this checkout's contract files, for the tools that take `--root` (generate, check:breaking, release). */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './processes.js';

export interface ContractCopy {
  root: string;
  /** Rewrites a file of the copy (a path relative to its root). */
  edit(path: string, change: (text: string) => string): void;
  remove(): void;
}

/** Copies spec/, generated/, client/src/generated/ and redocly.yaml to a temporary folder. */
export function copyContract(): ContractCopy {
  const root = mkdtempSync(join(tmpdir(), 'sms-contract-copy-'));
  for (const part of ['spec', 'generated', 'client/src/generated', 'redocly.yaml']) {
    if (existsSync(join(projectRoot, part))) cpSync(join(projectRoot, part), join(root, part), { recursive: true });
  }
  return {
    root,
    edit: (path, change) => writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8'))),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Sets info.version in a root document of the copy (the Agent contract's unless named). */
export function setVersion(copy: ContractCopy, version: string, rootDoc = 'spec/openapi.yaml'): void {
  copy.edit(rootDoc, (t) => t.replace(/^  version: .*$/m, `  version: ${version}`));
}

/** Adds a reviewed breaking change to a review file of the copy (the Agent contract's unless named). */
export function approve(copy: ContractCopy, version: string, change: string, reason = 'IDs longer than 30 characters were never issued.', file = 'spec/breaking-changes.yaml'): void {
  copy.edit(file, (t) => `${t.replace('approved: []', 'approved:').trimEnd()}\n  - version: ${version}\n    change: ${change}\n    reason: ${reason}\n`);
}

/** Runs scripts/<script>.ts as `npm run` does (a process of its own): its exit status and what it printed. */
export function runTool(script: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
