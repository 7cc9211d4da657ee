/** check:breaking's verdict (the rules of scripts/breaking/diff.ts and the semantic check) on every labelled edit of the corpus: each breaking edit fails with a rule, no compatible edit does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSpecs, formatChange } from '../../scripts/breaking/diff.js';
import { semanticChanges } from '../../scripts/breaking/semantic.js';
import { projectRoot } from '../../harness/processes.js';
import { corpus } from './gateCorpus.js';

const release = (): Record<string, any> => JSON.parse(readFileSync(join(projectRoot, 'spec/releases/3.1.0.json'), 'utf8'));

describe('the gate on the corpus of labelled edits', () => {
  it('has edits of both labels', () => {
    expect(corpus.filter((e) => e.label === 'breaking').length).toBeGreaterThanOrEqual(12);
    expect(corpus.filter((e) => e.label === 'compatible').length).toBeGreaterThanOrEqual(8);
  });

  it('prints every edit exactly as the spec owner reads it, counterexamples included (gateCorpus.lines.txt; after a deliberate change: `-u`, and review the diff)', async () => {
    const text = corpus
      .map((entry) => {
        const after = release();
        entry.edit(after);
        const named = diffSpecs(release(), after);
        return `# ${entry.label}: ${entry.name}\n${[...named, ...semanticChanges(release(), after, named)].map(formatChange).join('\n')}\n`;
      })
      .join('\n');
    await expect(text).toMatchFileSnapshot('./gateCorpus.lines.txt');
  });

  it.each(corpus.map((e) => [e.label, e.name, e] as const))('%s: %s', (label, _name, entry) => {
    const after = release();
    entry.edit(after);
    const named = diffSpecs(release(), after);
    const changes = [...named, ...semanticChanges(release(), after, named)];
    const breaking = changes.filter((c) => c.severity === 'breaking');
    if (label === 'breaking') expect(breaking.length, changes.map(formatChange).join('\n') || 'no change seen').toBeGreaterThan(0);
    else expect(breaking.map(formatChange)).toEqual([]);
  });
});
