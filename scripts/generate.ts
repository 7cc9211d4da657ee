/**
 * Turns the hand-written spec into the committed artifacts, for each contract of scripts/contracts.ts:
 *   its bundle (generated/openapi.json, generated/admin/openapi.json)  one resolved file (Redocly bundle)
 *       for Prism, the validator, the docs and consumers
 *   its types (generated/schema.ts, ...)          TypeScript types (openapi-typescript), for the server and the tests
 *   its routes (generated/routes.ts, ...)         the route table and handler interface createApp mounts
 *   client/src/generated/schema.ts               the Agent types, owned by the client package so that it builds from its own folder
 *   its changelog (spec/CHANGELOG.md, spec/admin-CHANGELOG.md)  rendered from its releases (npm run release writes it too)
 *
 * `--check` regenerates in memory and fails when the committed files differ (stale or hand-edited).
 * `--root DIR` works on another checkout's spec/ and generated/ (the tests use it on a tampered copy).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { approvalsFile, readApprovals } from './breaking/approvals.js';
import { renderChangelog } from './breaking/changelog.js';
import { listReleases } from './breaking/releases.js';
import { GENERATED_NOTICE, bundleSpec, toolRoot } from './bundle.js';
import { contracts } from './contracts.js';
import { renderRoutes } from './routes.js';

const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 && process.argv[rootArg + 1] ? resolve(process.argv[rootArg + 1] as string) : toolRoot;

/** Renders the TypeScript types of a bundled document. */
async function renderTypes(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as never, { alphabetize: false });
  return `/**\n * ${GENERATED_NOTICE}\n */\n\n${astToString(ast)}`;
}

/** Every file `npm run generate` writes, with its text. */
async function generatedFiles(): Promise<Array<[string, string]>> {
  const files: Array<[string, string]> = [];
  for (const contract of contracts) {
    const doc = bundleSpec(root, contract.root);
    const types = await renderTypes(doc);
    files.push([join(root, contract.bundle), `${JSON.stringify(doc, null, 2)}\n`]);
    files.push([join(root, contract.types), types]);
    for (const copy of contract.typeCopies) files.push([join(root, copy), types]);
    files.push([join(root, contract.routes), renderRoutes(doc, String(doc.info.title))]);
    files.push([join(root, contract.changelog), renderChangelog(contract, listReleases(root, contract), readApprovals(approvalsFile(root, contract)))]);
  }
  return files;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generatedFiles();
  if (check) {
    const stale = files.filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
    if (stale.length > 0) {
      for (const [path] of stale) console.error(`stale: ${path.slice(root.length + 1)} differs from what spec/ generates`);
      console.error('Run `npm run generate` and commit generated/ together with spec/.');
      process.exit(1);
    }
    console.log('generated/ is up to date with spec/');
    return;
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${path.slice(root.length + 1)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
