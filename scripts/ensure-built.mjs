#!/usr/bin/env node
/**
 * Keeps dist/ (the compiled server and docs/index.html) current. Plain JavaScript: it runs where only the
 * production dependencies are installed.
 *   node scripts/ensure-built.mjs --install   after `npm ci`: apply patches/, then build when the tools are here
 *   node scripts/ensure-built.mjs             before `npm start` / `npm run admin`: rebuild when server/ changed
 *   node scripts/ensure-built.mjs --stamp     the end of `npm run build`: note when dist/ was built
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const canBuild = existsSync(bin('tsc')) && existsSync(bin('redocly'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2] });
const build = () => run('npm', ['run', '-s', 'build']);

/** The newest modification time under `dir` (files only). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

// tsc leaves dist/ untouched when nothing changed, so its own files cannot say when it was last built
const stamp = join(root, 'dist', '.built');
if (process.argv.includes('--stamp')) {
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.exit(0);
}

if (process.argv.includes('--install')) {
  run(bin('patch-package'), ['--error-on-fail']);
  if (canBuild) build();
  else console.error('postinstall: devDependencies are not installed, so dist/ is not built here. Build where they are (npm ci && npm run build) and ship dist/ and docs/.');
  process.exit(0);
}

const sources = Math.max(newest(join(root, 'server')), newest(join(root, 'generated')), newest(join(root, 'spec')));
const built = existsSync(stamp) && existsSync(join(root, 'docs', 'index.html')) ? statSync(stamp).mtimeMs : 0;
if (built >= sources) process.exit(0);
if (!canBuild) {
  console.error(`${built ? 'dist/ is older than server/, generated/ or spec/' : 'dist/ is not built'}, and the build tools (devDependencies) are not installed: run \`npm ci && npm run build\`.`);
  process.exit(1);
}
console.error(built ? 'dist/ is older than server/, generated/ or spec/: rebuilding (npm run build)…' : 'dist/ is not built: building (npm run build)…');
build();
