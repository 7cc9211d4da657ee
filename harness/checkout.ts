/** A throwaway copy of this checkout's contract files, for the tools that take `--root` (generate, check:breaking, release). */
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
