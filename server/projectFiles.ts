/**
 * Where the server finds the files it serves: the project root is the nearest folder above this module
 * with a package.json, so the same code works from server/ (tsx, tests) and from dist/server/ (compiled).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the server must run from its project folder`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
/** The bundled Agent contract the validator and /openapi.json serve. */
export const BUNDLED_SPEC_FILE = join(projectRoot, 'generated', 'openapi.json');
/** The bundled admin contract the admin API's validator and /admin/openapi.json serve. */
export const ADMIN_BUNDLED_SPEC_FILE = join(projectRoot, 'generated', 'admin', 'openapi.json');
/** The docs page /docs serves (built by `npm run docs`, part of `npm run build`). */
export const DOCS_FILE = join(projectRoot, 'docs', 'index.html');
