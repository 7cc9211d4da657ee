/** A contract's releases: <contract.releases>/<version>.json, each the bundled spec frozen at its release. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import type { Contract } from '../contracts.js';

export interface Release {
  version: string;
  /** The day it was released (x-released in the frozen file). */
  released: string;
  document: Record<string, any>;
}

export const releasesDir = (root: string, contract: Contract): string => join(root, contract.releases);

/** Every release of `contract`, oldest first (semver order). */
export function listReleases(root: string, contract: Contract): Release[] {
  const dir = releasesDir(root, contract);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && semver.valid(f.slice(0, -'.json'.length)))
    .map((f) => {
      const document = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, any>;
      return { version: f.slice(0, -'.json'.length), released: String(document['x-released'] ?? ''), document };
    })
    .sort((a, b) => semver.compare(a.version, b.version));
}

/** The newest release of `contract`, or undefined before the first. */
export function latestRelease(root: string, contract: Contract): Release | undefined {
  return listReleases(root, contract).at(-1);
}
