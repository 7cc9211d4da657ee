/** X-Auth-Token: each 401 cause, 403 for wrong source and wrong action, 404 only after auth, hashing at rest, never logged. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptToken, authorize, hashToken, issueToken, MAX_TOKEN_LENGTH, presentedHash } from '../../server/auth.js';
import { SmsError } from '../../server/errors.js';
import type { Action } from '../../server/permissions.js';
import type { TokenRecord } from '../../server/store/types.js';
import { fakeClock } from '../support/clock.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';
import { EXAMPLE_SOURCE, OTHER_SOURCE } from '../../harness/fixtures.js';

const report = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };

describe('auth', () => {
  const clock = fakeClock();
  const dir = mkdtempSync(join(tmpdir(), 'sms-auth-'));
  const file = join(dir, 'sms.sqlite');
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess({ clock, databaseUrl: `sqlite:${file}` });
    await server.addSource(EXAMPLE_SOURCE);
    await server.addSource(OTHER_SOURCE);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectError = (r: { status: number; headers: Headers; text: string }, op: 'ShowCommand' | 'UpdateCommandResult', status: number, code: string) => {
    expect(r.status, r.text).toBe(status);
    expect(contractProblems(op, r)).toEqual([]);
    expect(JSON.parse(r.text).error_code).toBe(code);
  };

  it('answers 401 SMS.9001 without a token, on both operations', async () => {
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE)), 'ShowCommand', 401, 'SMS.9001');
    expectError(await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { json: report }), 'UpdateCommandResult', 401, 'SMS.9001');
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: '' }), 'ShowCommand', 401, 'SMS.9001');
  });

  it('answers 401 SMS.9002 for an unknown token', async () => {
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'sms_unknown' }), 'ShowCommand', 401, 'SMS.9002');
  });

  it('answers 401 SMS.9002 for a revoked token, at once', async () => {
    const t = await server.token();
    expect((await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret })).status).toBe(200);
    expect(await server.store.revokeToken(t.id, clock.now())).toMatchObject({ id: t.id, revokedAt: clock.now() });
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret }), 'ShowCommand', 401, 'SMS.9002');
  });

  it('answers 401 SMS.9003 once a token has expired', async () => {
    const t = await server.token({ expiresAt: new Date(clock.now().getTime() + 60_000) });
    expect((await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret })).status).toBe(200);
    clock.advance(60_000);
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret }), 'ShowCommand', 401, 'SMS.9003');
  });

  it('answers 401 (not 5xx) for a 16,385-character token, and 401 for a 16,384-character unknown one', async () => {
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'x'.repeat(16385) }), 'ShowCommand', 401, 'SMS.9002');
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'x'.repeat(16384) }), 'ShowCommand', 401, 'SMS.9002');
  });

  it('answers 403 SMS.9004 with the full 403 body for a token of another source server', async () => {
    const t = await server.token({ sources: [OTHER_SOURCE] });
    const r = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret });
    expectError(r, 'ShowCommand', 403, 'SMS.9004');
    const body = JSON.parse(r.text);
    expect(body.encoded_authorization_message).toBeTypeOf('string');
    expect(body.error_param[0]).toContain(EXAMPLE_SOURCE);
    expect(body.details[0]).toMatchObject({ error_code: 'SMS.9004' });
    expect(body.details[0].error_msg).toContain('sms:server:getCommand');
  });

  it('answers 403 for a token without the action, per operation', async () => {
    const pollOnly = await server.token({ actions: ['sms:server:getCommand'] });
    expect((await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: pollOnly.secret })).status).toBe(200);
    const r = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: pollOnly.secret, json: report });
    expectError(r, 'UpdateCommandResult', 403, 'SMS.9004');
    expect(JSON.parse(r.text).details[0].error_msg).toContain('sms:server:updateCommandResult');
    const reportOnly = await server.token({ actions: ['sms:server:updateCommandResult'] });
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: reportOnly.secret }), 'ShowCommand', 403, 'SMS.9004');
  });

  it('answers 401 for an expired or revoked token that would also be forbidden (401 is checked before 403)', async () => {
    const expiring = await server.token({ sources: [OTHER_SOURCE], expiresAt: new Date(clock.now().getTime() + 1000) });
    const revoked = await server.token({ actions: ['sms:server:updateCommandResult'] });
    await server.store.revokeToken(revoked.id, clock.now());
    clock.advance(1000);
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: expiring.secret }), 'ShowCommand', 401, 'SMS.9003');
    expectError(await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: expiring.secret, json: report }), 'UpdateCommandResult', 401, 'SMS.9003');
    expectError(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: revoked.secret }), 'ShowCommand', 401, 'SMS.9002');
  });

  it('checks in order: 401 before 403 before 400 before 404', async () => {
    const scoped = await server.token({ sources: [EXAMPLE_SOURCE] });
    const all = await server.token();
    // invalid body, no token: 401
    expectError(await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { json: { bad: true } }), 'UpdateCommandResult', 401, 'SMS.9001');
    // invalid body, token of another source: 403
    expectError(await call(server.baseUrl, 'POST', resultPath(OTHER_SOURCE), { token: scoped.secret, json: { bad: true } }), 'UpdateCommandResult', 403, 'SMS.9004');
    // invalid body, unregistered source, valid token: 400
    expectError(await call(server.baseUrl, 'POST', resultPath('not-registered'), { token: all.secret, json: { bad: true } }), 'UpdateCommandResult', 400, 'SMS.2001');
    // valid body, unregistered source: 404
    expectError(await call(server.baseUrl, 'POST', resultPath('not-registered'), { token: all.secret, json: report }), 'UpdateCommandResult', 404, 'SMS.2006');
    expectError(await call(server.baseUrl, 'GET', commandPath('not-registered'), { token: all.secret }), 'ShowCommand', 404, 'SMS.2006');
  });

  it('stores only the SHA-256 hash of a token, and never logs the token', async () => {
    const t = await server.token();
    await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret });
    await call(server.baseUrl, 'GET', commandPath(OTHER_SOURCE), { token: `${t.secret}x` });
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT * FROM tokens').all() as Array<Record<string, unknown>>;
    db.close();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(t.secret);
    expect(rows.find((r) => r.id === t.id)?.token_hash).toBe(hashToken(t.secret));
    expect(t.secret).toMatch(/^sms_[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(server.logs.length).toBeGreaterThan(0);
    expect(server.logs.join('\n')).not.toContain(t.secret);
    expect(server.logs.join('\n')).toContain(t.id);
    const line = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request' && l.tokenId === t.id && l.status === 200);
    expect(line).toMatchObject({ method: 'GET', route: '/v3/sources/:server_id/command', status: 200, source: EXAMPLE_SOURCE, tokenId: t.id });
    expect(line?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line?.durationMs).toBeTypeOf('number');
  });
});

describe('oversized tokens and headers', () => {
  it.each([
    ['a 70,000-character X-Auth-Token: 401 SMS.9002 (an over-long token is 401, as the spec says)', 70_000, 401, 'SMS.9002', '16384'],
    ['headers over 128 KiB: a JSON 400, not an empty 431', 140_000, 400, 'SMS.2001', '131072'],
  ])('answers %s', async (_what, length, status, code, mentions) => {
    const server = await startInProcess();
    try {
      const r = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'x'.repeat(length) });
      expect(r.status).toBe(status);
      expect(contractProblems('ShowCommand', r)).toEqual([]);
      expect(JSON.parse(r.text)).toMatchObject({ error_code: code, error_msg: expect.stringContaining(mentions) });
    } finally {
      await server.close();
    }
  });
});

describe('the auth functions', () => {
  const now = new Date('2026-01-28T00:00:00Z');
  const record = (over: Partial<TokenRecord> = {}): TokenRecord => ({
    id: 'tok_1',
    name: 't',
    kind: 'agent',
    tokenHash: hashToken('secret-a'),
    sources: null,
    actions: ['sms:server:getCommand', 'sms:server:updateCommandResult'],
    expiresAt: null,
    createdAt: now,
    revokedAt: null,
    ...over,
  });
  const kindOf = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      return err instanceof SmsError ? err.kind : `not an SmsError: ${String(err)}`;
    }
    return 'no error';
  };

  it('issues a secret with the sms_ prefix and 256 random bits, and a record holding only its hash', () => {
    const { secret, record: r } = issueToken({ name: 'n', kind: 'agent', sources: null, actions: ['sms:server:getCommand'], expiresAt: null, now });
    expect(secret).toMatch(/^sms_[A-Za-z0-9_-]{43}$/);
    expect(r.tokenHash).toBe(hashToken(secret));
    expect(JSON.stringify(r)).not.toContain(secret);
  });

  it('accepts a token of exactly MAX_TOKEN_LENGTH characters, refuses one more as tokenTooLong, and a missing one as missingToken', () => {
    expect(presentedHash('x'.repeat(MAX_TOKEN_LENGTH))).toBe(hashToken('x'.repeat(MAX_TOKEN_LENGTH)));
    expect(kindOf(() => presentedHash('x'.repeat(MAX_TOKEN_LENGTH + 1)))).toBe('tokenTooLong');
    expect(kindOf(() => presentedHash(''))).toBe('missingToken');
    expect(kindOf(() => presentedHash(undefined))).toBe('missingToken');
  });

  it('accepts a record only for the hash it holds: another hash (same length or not) is invalidToken, never a crash', () => {
    expect(acceptToken(record(), hashToken('secret-a'), now).id).toBe('tok_1');
    expect(kindOf(() => acceptToken(record(), hashToken('secret-b'), now))).toBe('invalidToken');
    expect(kindOf(() => acceptToken(record(), 'abcd', now))).toBe('invalidToken');
    expect(kindOf(() => acceptToken(null, hashToken('secret-a'), now))).toBe('invalidToken');
    expect(kindOf(() => acceptToken(record({ revokedAt: now }), hashToken('secret-a'), now))).toBe('invalidToken');
    expect(kindOf(() => acceptToken(record({ expiresAt: now }), hashToken('secret-a'), now))).toBe('expiredToken');
    expect(acceptToken(record({ expiresAt: new Date(now.getTime() + 1) }), hashToken('secret-a'), now).id).toBe('tok_1');
  });

  it('authorizes an Agent token for its actions and sources, and says why it refuses', () => {
    const reason = (r: TokenRecord, action: Action, serverId: string): string => {
      try {
        authorize(r, action, serverId);
      } catch (err) {
        expect((err as SmsError).kind).toBe('forbidden');
        return (err as SmsError).message;
      }
      return 'allowed';
    };
    expect(reason(record(), 'sms:server:getCommand', 's1')).toBe('allowed');
    expect(reason(record({ sources: ['s1'] }), 'sms:server:getCommand', 's1')).toBe('allowed');
    expect(reason(record({ kind: 'admin' }), 'sms:server:getCommand', 's1')).toContain('token tok_1 is an admin token, for the operator\'s API only');
    expect(reason(record({ actions: ['sms:server:getCommand'] }), 'sms:server:updateCommandResult', 's1')).toContain('token tok_1 does not grant sms:server:updateCommandResult');
    expect(reason(record({ sources: ['s2'] }), 'sms:server:getCommand', 's1')).toContain('token tok_1 is not issued for this source server');
  });
});
