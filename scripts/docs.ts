/**
 * `npm run docs`: builds docs/index.html (Redoc, everything inline: renders with no network) from the
 * bundled contract, with the API changelog (spec/CHANGELOG.md) as the last section of its introduction.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolRoot } from './bundle.js';

const doc = JSON.parse(readFileSync(join(toolRoot, 'generated', 'openapi.json'), 'utf8')) as { info: { description?: string } };
// The changelog's "## 3.0.0" headings become "### 3.0.0" under one "## API changelog" menu entry.
const changelog = readFileSync(join(toolRoot, 'spec', 'CHANGELOG.md'), 'utf8')
  .replace(/^# API changelog\n/, '')
  .replace(/^(#{2,}) /gm, '#$1 ');
doc.info.description = `${doc.info.description ?? ''}\n\n## API changelog\n${changelog}`;

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
