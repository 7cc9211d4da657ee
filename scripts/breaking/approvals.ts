/**
 * A contract's reviewed breaking changes (spec/breaking-changes.yaml for the Agent's). A breaking change
 * passes check:breaking only with an entry naming it (rule, operation, location, as printed), the version
 * that ships it, and why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Contract } from '../contracts.js';
import type { Change } from './diff.js';

export interface Approval {
  /** The version that ships the change (info.version of the spec that has it). */
  version: string;
  /** "<rule> <operation> <location>", as check:breaking prints it after "approve with:". */
  change: string;
  /** Why the break is worth it, for the changelog and the reviewers. */
  reason: string;
}

export const approvalsFile = (root: string, contract: Contract): string => join(root, contract.approvals);

/** The key an approval names a change by. */
export const changeKey = (c: Change): string => `${c.rule} ${c.operation} ${c.location}`;

/**
 * The entries of list `key` in a review file, each with every field a non-empty string (trimmed, but the
 * version); a malformed file is an error that says which entry and field. No file: no entries.
 */
export function readReviewEntries<F extends string>(file: string, key: string, fields: readonly F[]): Array<Record<F, string>> {
  if (!existsSync(file)) return [];
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  const entries = doc?.[key] ?? [];
  const shape = `{ ${fields.join(', ')} }`;
  if (!Array.isArray(entries)) throw new Error(`${file}: "${key}" must be a list of ${shape}.`);
  return entries.map((e: unknown, i) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    for (const field of fields) {
      if (typeof entry[field] !== 'string' || (entry[field] as string).trim() === '') {
        throw new Error(`${file}: ${key === 'approved' ? '' : `${key} `}entry ${i + 1} needs a non-empty "${field}" (${fields.join(', ')}).`);
      }
    }
    return Object.fromEntries(fields.map((f) => [f, f === 'version' ? String(entry[f]) : String(entry[f]).trim()])) as Record<F, string>;
  });
}

/** Reads the reviewed breaking changes. */
export function readApprovals(file: string): Approval[] {
  return readReviewEntries(file, 'approved', ['version', 'change', 'reason'] as const);
}
