/**
 * `npm run mutation:current`: is reports/mutation/incremental.json the run of this tree? It is when every
 * file Stryker mutates (stryker.config.json's `mutate`) and every test file it runs (vitest.mutation.config.ts)
 * is in the report with the same text (a mutated file without mutants is never in it, and a new one's
 * mutants are all an incremental run tests), and the report holds no other. Then an incremental `npm run mutation`
 * reuses every result and takes minutes; otherwise it tests again what changed, which can take hours, so
 * CI refuses first and names the files. `--report FILE` checks another report than stryker.config.json's
 * `incrementalFile` (the tests use it); `--config FILE` checks another Stryker configuration's run
 * (stryker.gate.config.mjs: the breaking-change gate's, with its own report and vitest configuration).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, matchesGlob } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { toolRoot } from './bundle.js';

interface IncrementalReport {
  files: Record<string, { source: string }>;
  testFiles: Record<string, { source: string }>;
}

/** The repository's files (relative, with /) under the given folders, each once. */
function filesUnder(folders: string[]): string[] {
  const files = folders.flatMap((folder) =>
    (readdirSync(join(toolRoot, folder), { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; name: string; parentPath: string }>)
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(toolRoot.length + 1).split('\\').join('/')),
  );
  return [...new Set(files)]; // each once, though folders may nest (scripts/ and scripts/breaking/)
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

/** A Stryker configuration file: JSON, or a module whose default export is the configuration. */
async function readStrykerConfig(file: string): Promise<unknown> {
  const path = join(toolRoot, file);
  return file.endsWith('.json') ? JSON.parse(readFileSync(path, 'utf8')) : ((await import(pathToFileURL(path).href)) as { default: unknown }).default;
}

/** The npm script that runs each Stryker configuration (and its score gate). */
const RUN_COMMANDS: Record<string, string> = { 'stryker.config.json': 'npm run mutation', 'stryker.gate.config.mjs': 'npm run mutation:gate' };

/** The folders a Stryker `mutate` list reaches: each positive pattern up to its first glob, or a file's folder. */
function mutatedRoots(mutate: string[]): string[] {
  const roots = mutate
    .filter((p) => !p.startsWith('!'))
    .map((p) => {
      const glob = p.search(/[*?{[]/);
      return glob < 0 ? dirname(p) : p.slice(0, glob).replace(/\/$/, '');
    });
  return [...new Set(roots)];
}

async function main(): Promise<number> {
  process.removeAllListeners('warning'); // path.matchesGlob is "experimental" on Node 20; its answer is what we check
  const { values } = parseArgs({ options: { config: { type: 'string', default: 'stryker.config.json' }, report: { type: 'string' } } });
  const stryker = (await readStrykerConfig(values.config)) as { mutate: string[]; incrementalFile: string; vitest: { configFile: string } };
  const reportFile = values.report ?? join(toolRoot, stryker.incrementalFile);
  const mutationVitest = ((await import(pathToFileURL(join(toolRoot, stryker.vitest.configFile)).href)) as { default: { test?: { include?: string[]; exclude?: string[] } } }).default;
  const runCommand = RUN_COMMANDS[values.config] ?? `npx stryker run ${values.config}`;
  let report: IncrementalReport;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as IncrementalReport;
  } catch (err) {
    console.error(`mutation:current: cannot read ${reportFile} (${(err as Error).message}). Run ${runCommand} and commit ${stryker.incrementalFile}.`);
    return 1;
  }
  const test = mutationVitest.test ?? {};
  const all = filesUnder([...mutatedRoots(stryker.mutate), 'test']);
  const mutated = matching(all, stryker.mutate);
  const tests = matching(all, test.include ?? [], test.exclude ?? []);
  const read = (file: string): string => readFileSync(join(toolRoot, file), 'utf8');
  const lines = [...differences(report.files, mutated, read, true), ...differences(report.testFiles, tests, read)];
  if (lines.length > 0) {
    console.error(`mutation:current: ${reportFile} is not the run of this tree:`);
    for (const line of lines) console.error(`  ${line}`);
    console.error(`Run ${runCommand} (incremental: it tests again only what changed) and commit ${stryker.incrementalFile} with the change.`);
    return 1;
  }
  console.log(`mutation:current: ${stryker.incrementalFile} matches this tree (${mutated.length} mutated files, ${tests.length} test files); an incremental run reuses every result`);
  return 0;
}

process.exit(await main());
