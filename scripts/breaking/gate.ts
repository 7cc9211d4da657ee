/**
 * The breaking-change gate: a contract's working spec against its latest release. It fails on a breaking
 * change that is not reviewed in the contract's approvals file for the working version, on a breaking change
 * without a major version bump, and on a version that goes backwards.
 */
import semver from 'semver';
import { releaseCommand, type Contract } from '../contracts.js';
import { changeKey, type Approval } from './approvals.js';
import { diffSpecs, type Change } from './diff.js';
import { semanticChanges } from './semantic.js';

export interface GateInput {
  /** Which contract (its files name the fixes the gate asks for). */
  contract: Contract;
  base: { version: string; document: Record<string, any> };
  working: Record<string, any>;
  approvals: Approval[];
}

export interface GateResult {
  /** The working spec's info.version. */
  version: string;
  changes: Change[];
  /** Breaking changes with their reviewed entry. */
  approved: Array<{ change: Change; approval: Approval }>;
  /** Why the gate fails; empty when it passes. */
  problems: string[];
  /** Things worth saying that do not fail the gate. */
  notes: string[];
}

export function runGate({ contract, base, working, approvals }: GateInput): GateResult {
  const version = String(working.info?.version ?? '');
  const named = diffSpecs(base.document, working);
  const changes = [...named, ...semanticChanges(base.document, working, named)];
  const problems: string[] = [];
  const notes: string[] = [];
  const approved: GateResult['approved'] = [];

  if (!semver.valid(version)) {
    problems.push(`info.version "${version}" is not a semantic version (MAJOR.MINOR.PATCH): fix it in spec/${contract.root}.`);
    return { version, changes, approved, problems, notes };
  }
  if (semver.lt(version, base.version)) problems.push(`info.version ${version} is lower than the latest release ${base.version}.`);

  const forVersion = approvals.filter((a) => a.version === version);
  const breaking = changes.filter((c) => c.severity === 'breaking');
  for (const change of breaking) {
    const approval = forVersion.find((a) => a.change === changeKey(change));
    if (approval) approved.push({ change, approval });
    else {
      problems.push(
        `unreviewed breaking change: ${changeKey(change)}\n    to ship it on purpose, add to ${contract.approvals}:\n` +
          `      - version: ${semver.inc(base.version, 'major')}\n        change: ${changeKey(change)}\n        reason: <why the break is worth it>`,
      );
    }
  }
  if (breaking.length > 0 && semver.major(version) <= semver.major(base.version)) {
    problems.push(`a breaking change needs a major version: set info.version to ${semver.inc(base.version, 'major')} (it is ${version}; the latest release is ${base.version}).`);
  }
  for (const a of forVersion) {
    if (!breaking.some((c) => changeKey(c) === a.change)) notes.push(`reviewed entry for ${a.version} matches no breaking change (remove it?): ${a.change}`);
  }
  if (changes.length > 0 && version === base.version) notes.push(`the contract changed since release ${base.version}, but info.version is still ${version}: bump it before \`${releaseCommand(contract)}\`.`);
  return { version, changes, approved, problems, notes };
}
