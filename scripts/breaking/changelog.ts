/** A contract's API changelog, rendered from its releases: per release, per operation, each change with its severity. */
import { releaseCommand, type Contract } from '../contracts.js';
import { changeKey, type Approval } from './approvals.js';
import { diffSpecs } from './diff.js';
import { rules } from './rules.js';
import type { Release } from './releases.js';

const ORDER = { breaking: 0, warning: 1, info: 2 } as const;

/** Renders the changelog of `contract` from every release, newest first; reasons of reviewed breaking changes are quoted. */
export function renderChangelog(contract: Contract, releases: Release[], approvals: Approval[]): string {
  const out = [
    `# ${contract.label} changelog`,
    '',
    `The contract's releases, newest first, written by \`${releaseCommand(contract)}\` from \`${contract.releases}/\` (never by hand).`,
    'Severities: **breaking** (a client written against the previous release can fail), **warning** (strict',
    'clients may notice), **info** (compatible). See spec/README.md, "How to change the contract".',
    '',
  ];
  for (let i = releases.length - 1; i >= 0; i--) {
    const release = releases[i] as Release;
    const previous = releases[i - 1];
    out.push(`## ${release.version}${release.released ? ` (${release.released})` : ''}`, '');
    if (!previous) {
      const ops = Object.values((release.document.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>).flatMap((item) =>
        Object.values(item).flatMap((op) => (op && typeof op === 'object' && op.operationId ? [op.operationId] : [])),
      );
      out.push(`First release: the baseline of the breaking-change gate. Operations: ${ops.join(', ')}.`, '');
      continue;
    }
    const changes = diffSpecs(previous.document, release.document).sort((a, b) => a.operation.localeCompare(b.operation) || ORDER[a.severity] - ORDER[b.severity]);
    if (changes.length === 0) {
      out.push(`No change to the contract since ${previous.version} (descriptions and examples only).`, '');
      continue;
    }
    for (const operation of [...new Set(changes.map((c) => c.operation))]) {
      out.push(`### ${operation}`, '');
      for (const c of changes.filter((x) => x.operation === operation)) {
        const reason = approvals.find((a) => a.version === release.version && a.change === changeKey(c))?.reason;
        out.push(`- **${c.severity}** ${c.location}: ${rules[c.rule].summary}: ${c.detail}${reason ? `. Why: ${reason}` : ''}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

