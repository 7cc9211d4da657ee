/** The breaking-change gate on the SMS contract's real history: each change the documents show, with its severity. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../scripts/breaking/diff.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const summary = (before: string, after: string) => diffSpecs(fixture(before), fixture(after)).map((c) => [c.severity, c.operation, c.location, c.detail, c.rule]);

describe('UpdateCommandResult, 2024-07-08 → 2026-01-28', () => {
  const changes = summary('update-command-result-2024-07-08', 'update-command-result-2026-01-28');

  it('server_id 0..255 → 1..36: both bounds tightened, breaking', () => {
    expect(changes).toContainEqual(['breaking', 'UpdateCommandResult', 'path server_id', 'maxLength 255 → 36', 'request-max-length-decreased']);
    expect(changes).toContainEqual(['breaking', 'UpdateCommandResult', 'path server_id', 'minLength 0 → 1', 'request-min-length-increased']);
  });

  it('X-Auth-Token optional → mandatory: breaking', () => {
    expect(changes).toContainEqual(['breaking', 'UpdateCommandResult', 'header X-Auth-Token', 'optional → required', 'request-parameter-became-required']);
  });

  it('the 200 gains a body: info (old clients ignore it)', () => {
    expect(changes).toContainEqual(['info', 'UpdateCommandResult', 'response 200 body', 'no body → application/json', 'response-body-added']);
  });

  it('reports nothing else (descriptions changed too, and do not count)', () => {
    expect(changes).toHaveLength(4);
  });
});

describe('ShowCommand, 2025-06-19 → the live service since 2026', () => {
  const changes = summary('show-command-2025-06-19', 'show-command-live-2026');

  it('command_name grows by PREMIGRATE, TASK_NOT_STARTED, TASK_HAS_STOPPED, TASK_HAS_FINISHED: a warning each, not breaking', () => {
    expect(changes).toEqual(
      ['PREMIGRATE', 'TASK_NOT_STARTED', 'TASK_HAS_STOPPED', 'TASK_HAS_FINISHED'].map((name) => [
        'warning',
        'ShowCommand',
        'response 200 body command_name',
        `enum + ${name}`,
        'response-enum-value-added',
      ]),
    );
  });

  it('the other way (values dropped) would be info for clients, and compatible', () => {
    expect(summary('show-command-live-2026', 'show-command-2025-06-19').every(([severity, , , , rule]) => severity === 'info' && rule === 'response-enum-value-removed')).toBe(true);
  });
});
