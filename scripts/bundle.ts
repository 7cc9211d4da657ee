/** Bundles spec/ into one resolved OpenAPI document with the pinned Redocly CLI (internal $refs kept under components). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type OpenApiDocument = Record<string, unknown> & { info: { version: string; title: string } };

/** The repository this script runs from (its node_modules hold the pinned redocly). */
export const toolRoot = resolve(import.meta.dirname, '..');

export const GENERATED_NOTICE = 'DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.';

/** Bundles a root document of `<root>/spec/` (the Agent contract's by default); the result is what its generated/ bundle holds. */
export function bundleSpec(root = toolRoot, rootDocument = 'openapi.yaml'): OpenApiDocument {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bundle-'));
  try {
    const out = join(dir, 'openapi.json');
    execFileSync(join(toolRoot, 'node_modules', '.bin', 'redocly'), ['bundle', join(root, 'spec', rootDocument), '--output', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as OpenApiDocument;
    return { openapi: doc.openapi, 'x-generated': GENERATED_NOTICE, ...doc };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
