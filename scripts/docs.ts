/**
 * `npm run docs`: builds docs/index.html (Redoc, everything inline: renders with no network), one page for
 * both contracts: the Agent API (generated/openapi.json) and the Admin API (generated/admin/openapi.json),
 * each a group of the menu, with both changelogs (spec/CHANGELOG.md, spec/admin-CHANGELOG.md) at the end of the introduction.
 */
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolRoot } from './bundle.js';
import { contracts } from './contracts.js';

type Json = Record<string, any>;
const read = (path: string): Json => JSON.parse(readFileSync(join(toolRoot, path), 'utf8')) as Json;

/** Markdown one heading level down ("## x" becomes "### x"), to nest a document's sections under a heading. */
const demote = (markdown: string): string => markdown.replace(/^(#{2,}) /gm, '#$1 ');

/** A contract's changelog, as `npm run generate` renders it, and how the docs page names the contract. */
export interface Changelog {
  label: string;
  markdown: string;
}

/**
 * A changelog as a section of the introduction: its "# Agent API changelog" a menu entry, its releases under
 * it named with the contract ("### Agent API 3.1.0 (day)"), so that two contracts' releases of one version
 * and day get menu entries (and page anchors) of their own.
 */
const changelogSection = ({ label, markdown }: Changelog): string =>
  demote(markdown)
    .replace(/^### (\d+\.\d+\.\d+)/gm, `### ${label} $1`)
    .replace(/^# /, '## ');

/**
 * One document for the docs page: the Agent contract with the admin contract's paths, tags and components
 * added (each admin operation keeps its own security), its description as a section, and a menu group per
 * contract. A component both define must be the same, or the page would show one contract's as the other's.
 */
export function docsDocument(agent: Json, admin: Json, changelogs: Changelog[]): Json {
  const doc = structuredClone(agent);
  for (const [kind, entries] of Object.entries((admin.components ?? {}) as Json)) {
    doc.components[kind] ??= {};
    for (const [name, value] of Object.entries(entries as Json)) {
      if (name in doc.components[kind] && !isDeepStrictEqual(doc.components[kind][name], value)) {
        throw new Error(`components.${kind}.${name} differs between the Agent and the admin contract: rename one (spec/components/${kind}/)`);
      }
      doc.components[kind][name] = value;
    }
  }
  for (const [path, item] of Object.entries(admin.paths as Json)) {
    doc.paths[path] = Object.fromEntries(
      Object.entries(item as Json).map(([key, op]) => [key, key === 'parameters' ? op : { security: admin.security, ...(op as Json) }]),
    );
  }
  doc.tags = [...agent.tags, ...admin.tags];
  doc['x-tagGroups'] = [
    { name: `Agent API (${agent.info.version})`, tags: (agent.tags as Json[]).map((t) => t.name) },
    { name: `Admin API (${admin.info.version})`, tags: (admin.tags as Json[]).map((t) => t.name) },
  ];
  doc.info.title = 'SMS Command Service';
  doc.info.version = `Agent API ${agent.info.version}, Admin API ${admin.info.version}`;
  doc.info.summary = `${agent.info.title} ${agent.info.version} and ${admin.info.title} ${admin.info.version}: the two contracts of this service.`;
  doc.info.description = [
    `## ${agent.info.title}`,
    demote(String(agent.info.description ?? '')),
    `## ${admin.info.title}`,
    demote(String(admin.info.description ?? '')),
    ...changelogs.map(changelogSection),
  ].join('\n\n');
  return doc;
}

function main(): void {
  const changelogs = contracts.map((c) => ({ label: c.label, markdown: readFileSync(join(toolRoot, c.changelog), 'utf8') }));
  const doc = docsDocument(read('generated/openapi.json'), read('generated/admin/openapi.json'), changelogs);
  const dir = mkdtempSync(join(tmpdir(), 'sms-docs-'));
  try {
    const input = join(dir, 'openapi.json');
    writeFileSync(input, JSON.stringify(doc));
    execFileSync(join(toolRoot, 'node_modules', '.bin', 'redocly'), ['build-docs', input, '--inlineBundle', '--output', join(toolRoot, 'docs', 'index.html')], {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
