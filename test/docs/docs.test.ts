/**
 * The published docs page (`npm run docs`) renders both contracts (the Agent API's two operations and the
 * Admin API's ten), each a menu group, with their responses, in headless Chromium with all network
 * blocked, opened from disk; screenshots go to test/artifacts/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/processes.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('docs/index.html', () => {
  let browser: Browser;
  const page = join(projectRoot, 'docs', 'index.html');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
    const built = spawnSync('npm', ['run', '-s', 'docs'], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => browser?.close());

  it('renders both operations and their responses offline', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const tab = await context.newPage();
    await tab.goto(pathToFileURL(page).href);
    await tab.getByText('Command Management').first().click();
    const sidebar = await tab.locator('a').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));
    expect(sidebar.join('\n')).toContain('Obtaining Commands from SMS');
    expect(sidebar.join('\n')).toContain('Reporting Command Execution Results to SMS');
    const artifacts = join(projectRoot, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    for (const op of [
      { route: 'showcommand', summary: 'Obtaining Commands from SMS', path: '/v3/sources/{server_id}/command', field: 'command_name' },
      { route: 'updatecommandresult', summary: 'Reporting Command Execution Results to SMS', path: '/v3/sources/{server_id}/command_result', field: 'result_detail' },
    ]) {
      await tab.goto(`${pathToFileURL(page).href}#/command-management/${op.route}`);
      const section = tab.locator(`[data-section-id="/command-management/${op.route}"]`);
      await section.waitFor({ timeout: 20000 });
      await expect.poll(async () => section.innerText(), { timeout: 10000 }).toContain(op.path);
      const text = await section.innerText();
      await tab.screenshot({ path: join(artifacts, `docs-${op.route}.png`), fullPage: false });
      for (const expected of [op.summary, op.path, op.field, 'server_id']) expect(text, op.route).toContain(expected);
      for (const status of ['200', '400', '401', '403', '404', '500']) expect(text, `${op.route} response ${status}`).toContain(status);
      expect(existsSync(join(artifacts, `docs-${op.route}.png`))).toBe(true);
    }
    // the page may try to fetch a logo image; no script or stylesheet may be needed from the network
    expect(blocked.filter((u) => /\.(js|css)(\?|$)/.test(u))).toEqual([]);
    await context.close();
  });

  it('renders the Admin API as a menu group of its own, every operation with its responses', async () => {
    const { adminBundled, bundled, operations } = await import('../../harness/spec.js');
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await tab.goto(pathToFileURL(page).href);
    const menu = await tab.locator('body').innerText();
    expect(menu).toContain(`Agent API (${(bundled.info as { version: string }).version})`);
    expect(menu).toContain(`Admin API (${(adminBundled.info as { version: string }).version})`);
    for (const op of operations('admin')) {
      const tag = String((op.operation.tags as string[])[0]).toLowerCase().replace(/ /g, '-');
      const route = `${tag}/${op.operationId.toLowerCase()}`;
      await tab.goto(`${pathToFileURL(page).href}#/${route}`);
      const section = tab.locator(`[data-section-id="/${route}"]`);
      await section.waitFor({ timeout: 20000 });
      await expect.poll(async () => section.innerText(), { timeout: 10000 }).toContain(op.path);
      const text = await section.innerText();
      expect(text, op.operationId).toContain(String(op.operation.summary));
      expect(text, op.operationId).toContain('AdminToken');
      for (const status of Object.keys(op.operation.responses as object)) expect(text, `${op.operationId} response ${status}`).toContain(status);
    }
    await tab.screenshot({ path: join(projectRoot, 'test', 'artifacts', 'docs-admin.png'), fullPage: false });
    await tab.close();
  });

  it('links both changelogs from its menu, each with every release of its contract', async () => {
    const { readdirSync } = await import('node:fs');
    const versions = (dir: string) => readdirSync(join(projectRoot, dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    const changelogs = [
      { title: 'Agent API changelog', section: 'agent-api', releases: versions('spec/releases') },
      { title: 'Admin API changelog', section: 'admin-api', releases: versions('spec/releases/admin') },
    ];
    expect(changelogs[0]?.releases).toContain('3.0.0');
    expect(changelogs[1]?.releases).toContain('1.0.0');
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    for (const changelog of changelogs) {
      await tab.locator('a', { hasText: changelog.title }).first().click();
      const section = tab.locator(`[data-section-id="/section/${changelog.section}-changelog"]`);
      await section.waitFor({ timeout: 20000 });
      // each release is a subsection after the changelog heading, named with its contract ("Admin API 1.0.0 (day)")
      const text = await tab.locator(`[data-section-id^="/section/${changelog.section}-"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText).join('\n'));
      for (const version of changelog.releases) expect(text, changelog.title).toContain(version);
      expect(text, changelog.title).toContain('First release');
    }
    await tab.close();
  });
});

describe('docsDocument (scripts/docs.ts)', () => {
  it('puts both contracts on one page, each admin operation with its own security, and refuses a component the two define differently', async () => {
    const { docsDocument } = await import('../../scripts/docs.js');
    const { adminBundled, bundled } = await import('../../harness/spec.js');
    const doc = docsDocument(bundled, adminBundled, [
      { label: 'Agent API', markdown: '# Agent API changelog\n\n## 3.0.0\n' },
      { label: 'Admin API', markdown: '# Admin API changelog\n\n## 1.0.0\n' },
    ]);
    expect((doc['x-tagGroups'] as Array<{ name: string }>).map((g) => g.name)).toEqual([`Agent API (${(bundled.info as { version: string }).version})`, `Admin API (${(adminBundled.info as { version: string }).version})`]);
    expect(doc.paths['/admin/v1/tokens'].post.security).toEqual([{ AdminToken: [] }]);
    expect(doc.paths['/v3/sources/{server_id}/command'].get.security).toBeUndefined(); // the root's: AuthToken
    const clashing = structuredClone(adminBundled) as { components: { schemas: Record<string, unknown> } };
    clashing.components.schemas.Error = { type: 'string' };
    // each changelog is a section of the introduction, its releases one level down
    expect(doc.info.description).toContain('## Agent API changelog\n\n### Agent API 3.0.0');
    expect(doc.info.description).toContain('## Admin API changelog\n\n### Admin API 1.0.0');
    expect(() => docsDocument(bundled, clashing, [])).toThrow('components.schemas.Error differs between the Agent and the admin contract');
  });
});
