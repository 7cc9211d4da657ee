/**
 * `npm run mutation:current`: is reports/mutation/incremental.json the run of this tree? It is when every
 * file Stryker mutates (stryker.config.json's `mutate`) and every test file it runs (vitest.mutation.config.ts)
 * is in the report with the same text (a mutated file without mutants is never in it, and a new one's
 * mutants are all an incremental run tests), and the report holds no other. Then an incremental `npm run mutation`
 * reuses every result and takes minutes; otherwise it tests again what changed, which can take hours, so
 * CI refuses first and names the files. `--report FILE` checks another report than stryker.config.json's
 * `incrementalFile` (the tests use it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { parseArgs } from 'node:util';
import mutationVitest from '../vitest.mutation.config.js';
import { toolRoot } from './bundle.js';

interface IncrementalReport {
  files: Record<string, { source: string }>;
  testFiles: Record<string, { source: string }>;
}

/** The repository's files (relative, with /) under the given top-level folders. */
function filesUnder(folders: string[]): string[] {
  return folders.flatMap((folder) =>
    (readdirSync(join(toolRoot, folder), { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; name: string; parentPath: string }>)
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(toolRoot.length + 1).split('\\').join('/')),
  );
}

/** The files matching the patterns, where a pattern starting with ! takes files out (Stryker's and vitest's convention). */
function matching(files: string[], include: string[], exclude: string[] = []): string[] {
  const negated = include.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const positive = include.filter((p) => !p.startsWith('!'));
  const out = [...negated, ...exclude];
  return files.filter((f) => positive.some((p) => matchesGlob(f, p)) && !out.some((p) => matchesGlob(f, p))).sort();
}

/**
 * What differs between the report and the tree: one line per file, empty when the report is current.
 * `absentIsNew`: a mutated file the report lacks is one without mutants (types only: Stryker leaves it out)
 * or a new one, whose mutants alone an incremental run tests; either way it re-tests nothing else.
 */
function differences(recorded: Record<string, { source: string }>, current: string[], read: (file: string) => string, absentIsNew = false): string[] {
  const lines: string[] = [];
  for (const file of current) {
    if (!(file in recorded)) {
      if (!absentIsNew) lines.push(`${file}: not in the report`);
    } else if (recorded[file]?.source !== read(file)) lines.push(`${file}: changed since the report`);
  }
  const run = new Set(current);
  for (const file of Object.keys(recorded)) if (!run.has(file)) lines.push(`${file}: in the report, no longer run`);
  return lines;
}

function main(): number {
  process.removeAllListeners('warning'); // path.matchesGlob is "experimental" on Node 20; its answer is what we check
  const stryker = JSON.parse(readFileSync(join(toolRoot, 'stryker.config.json'), 'utf8')) as { mutate: string[]; incrementalFile: string };
  const { values } = parseArgs({ options: { report: { type: 'string', default: join(toolRoot, stryker.incrementalFile) } } });
  let report: IncrementalReport;
  try {
    report = JSON.parse(readFileSync(values.report, 'utf8')) as IncrementalReport;
  } catch (err) {
    console.error(`mutation:current: cannot read ${values.report} (${(err as Error).message}). Run npm run mutation and commit reports/mutation/incremental.json.`);
    return 1;
  }
  const test = mutationVitest.test ?? {};
  const all = filesUnder(['server', 'client/src', 'test']);
  const mutated = matching(all, stryker.mutate);
  const tests = matching(all, test.include ?? [], test.exclude ?? []);
  const read = (file: string): string => readFileSync(join(toolRoot, file), 'utf8');
  const lines = [...differences(report.files, mutated, read, true), ...differences(report.testFiles, tests, read)];
  if (lines.length > 0) {
    console.error(`mutation:current: ${values.report} is not the run of this tree:`);
    for (const line of lines) console.error(`  ${line}`);
    console.error('Run npm run mutation (incremental: it tests again only what changed) and commit reports/mutation/incremental.json with the change.');
    return 1;
  }
  console.log(`mutation:current: the report matches this tree (${mutated.length} mutated files, ${tests.length} test files); an incremental run reuses every result`);
  return 0;
}

process.exit(main());
