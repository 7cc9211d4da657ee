/** X-Auth-Token: each 401 cause, 403 for wrong source and wrong action, 404 only after auth, hashing at rest, never logged. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptToken, agentAuth, authenticate, authorize, claimOf, hashToken, isSigned, issueAccessKey, issueToken, MAX_TOKEN_LENGTH, presentedHash } from '../../server/auth.js';
import { SmsError } from '../../server/errors.js';
import type { Action } from '../../server/permissions.js';
import type { SignedRequest } from '../../server/signature.js';
import type { AccessKeyRecord, TokenRecord } from '../../server/store/types.js';
import { AKSKSigner } from '../../harness/huaweiSdk.js';
import { testSealer } from '../../harness/tokens.js';
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

describe('the access key functions', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const sealer = testSealer();
  const SK = 'Q8vYk2bN5rT1wZ7mC4xD9fH3jL6pS0aE2gU5iO8e';
  const key = (over: Partial<AccessKeyRecord> = {}): AccessKeyRecord => ({
    accessKey: 'AKSMSTEST0000000001',
    name: 'k',
    sealedSecret: sealer.seal(SK, over.accessKey ?? 'AKSMSTEST0000000001'),
    sources: null,
    actions: ['sms:server:getCommand', 'sms:server:updateCommandResult'],
    expiresAt: null,
    revokedAt: null,
    createdAt: now,
    ...over,
  });
  /** A poll signed by the official SDK at `at` (default: now) with `sk`. */
  const signedPoll = (at: Date = now, sk = SK, headers: Record<string, string> = {}): SignedRequest => {
    const sdkDate = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const signed = AKSKSigner.sign({ endpoint: 'http://127.0.0.1:8080/v3/sources/s1/command', method: 'GET', headers: { 'X-Sdk-Date': sdkDate, 'content-type': 'application/json', ...headers } }, { getAk: () => 'AKSMSTEST0000000001', getSk: () => sk });
    const arrived: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed)) arrived[name.toLowerCase()] = value;
    return { method: 'GET', url: '/v3/sources/s1/command', headers: arrived, body: Buffer.alloc(0) };
  };
  const failure = async (run: () => unknown): Promise<string> => {
    try {
      await run();
    } catch (err) {
      return err instanceof SmsError ? `${err.code} ${err.message}` : `not an SmsError: ${String(err)}`;
    }
    return 'no error';
  };
  const storeOf = (found: AccessKeyRecord | null, token: TokenRecord | null = null) => {
    const asked: string[] = [];
    return {
      asked,
      store: {
        findAccessKey: async (ak: string) => (asked.push(`key ${ak}`), found),
        findTokenByHash: async (hash: string) => (asked.push(`token ${hash}`), token),
      },
    };
  };
  const deps = (found: AccessKeyRecord | null, token: TokenRecord | null = null) => ({ ...storeOf(found, token), clock: { now: () => now }, sealer });

  it('issues an AK of 20 upper-case letters and digits and a 40-character SK, stored only sealed (for its AK)', () => {
    const { secretKey, record } = issueAccessKey({ name: 'n', sources: ['s1'], actions: ['sms:server:getCommand'], expiresAt: null, now, sealer });
    expect(record.accessKey).toMatch(/^AKSMS[A-Z0-9]{15}$/);
    expect(secretKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(JSON.stringify(record)).not.toContain(secretKey);
    expect(sealer.open(record.sealedSecret, record.accessKey)).toBe(secretKey);
    expect(record).toMatchObject({ name: 'n', sources: ['s1'], actions: ['sms:server:getCommand'], expiresAt: null, createdAt: now });
    const others = Array.from({ length: 20 }, () => issueAccessKey({ name: 'n', sources: null, actions: [], expiresAt: null, now, sealer }));
    expect(new Set(others.map((o) => o.record.accessKey)).size).toBe(20);
    expect(new Set(others.map((o) => o.secretKey)).size).toBe(20);
    const fixed = issueAccessKey({ name: 'n', sources: null, actions: [], expiresAt: null, now, sealer, fixed: { accessKey: 'AKFIXED', secretKey: 'skfixed' } });
    expect([fixed.record.accessKey, fixed.secretKey, sealer.open(fixed.record.sealedSecret, 'AKFIXED')]).toEqual(['AKFIXED', 'skfixed', 'skfixed']);
  });

  it('authenticates a signature by its access key: a grant that authorize reads as an access key', async () => {
    const { store, asked } = storeOf(key({ sources: ['s2'] }));
    const grant = await authenticate({ store, clock: { now: () => now }, sealer }, signedPoll());
    expect(grant).toEqual({ id: 'AKSMSTEST0000000001', kind: 'agent', sources: ['s2'], actions: ['sms:server:getCommand', 'sms:server:updateCommandResult'], credential: 'access key' });
    expect(asked).toEqual(['key AKSMSTEST0000000001']);
    expect(() => authorize(grant, 'sms:server:getCommand', 's1')).toThrow('access key AKSMSTEST0000000001 is not issued for this source server');
    expect(() => authorize({ ...grant, actions: ['sms:server:getCommand'] }, 'sms:server:updateCommandResult', 's2')).toThrow('access key AKSMSTEST0000000001 does not grant sms:server:updateCommandResult');
  });

  it('answers each refusal with its own code, in order: malformed, then the date, then the key, then the signature', async () => {
    const run = (found: AccessKeyRecord | null, request: SignedRequest) => failure(() => authenticate(deps(found), request));
    expect(await run(key(), signedPoll(now, 'wrong'))).toMatch(/^SMS\.9009 /);
    expect(await run(null, signedPoll())).toBe('SMS.9007 The access key AKSMSTEST0000000001 is not valid (unknown or revoked). Ask an operator for a new access key.');
    expect(await run(key({ revokedAt: now }), signedPoll())).toMatch(/^SMS\.9007 /);
    expect(await run(key({ expiresAt: now }), signedPoll())).toBe('SMS.9008 The access key AKSMSTEST0000000001 has expired. Ask an operator for a new access key.');
    expect(await run(key({ expiresAt: new Date(now.getTime() + 1) }), signedPoll())).toBe('no error');
    expect(await run(key({ revokedAt: now }), signedPoll(now, 'wrong'))).toMatch(/^SMS\.9007 /); // the key before the signature
    expect(await run(null, signedPoll(new Date(now.getTime() - 16 * 60_000)))).toMatch(/^SMS\.9006 X-Sdk-Date \d{8}T\d{6}Z is more than 15 minutes/); // the date before the key
    expect(await run(null, signedPoll(new Date(now.getTime() + 16 * 60_000)))).toMatch(/^SMS\.9006 /);
    const poll = signedPoll();
    expect(await run(null, { ...poll, headers: { ...poll.headers, 'x-sdk-date': 'yesterday' } })).toMatch(/^SMS\.9005 .*X-Sdk-Date must be/);
    expect(await run(null, { ...poll, headers: { ...poll.headers, 'x-sdk-date': undefined } })).toMatch(/^SMS\.9005 /);
    expect(await run(null, { ...poll, headers: { ...poll.headers, 'x-sdk-date': ['20261202T120000Z', '20261202T120000Z'] as never } })).toMatch(/^SMS\.9005 /);
    expect(await run(key(), { ...poll, headers: { ...poll.headers, authorization: `${poll.headers.authorization as string},` } })).toMatch(/^SMS\.9005 /);
  });

  it('checks a request with X-Auth-Token by its token alone, whatever signature it carries; without either it is missingToken', async () => {
    const token: TokenRecord = { id: 'tok_1', name: 't', kind: 'agent', tokenHash: hashToken('secret-a'), sources: null, actions: ['sms:server:getCommand'], expiresAt: null, revokedAt: null, createdAt: now };
    const both = { ...signedPoll(), headers: { ...signedPoll().headers, 'x-auth-token': 'secret-a' } };
    const d = deps(key(), token);
    expect(await authenticate(d, both)).toBe(token);
    expect(d.asked).toEqual([`token ${hashToken('secret-a')}`]);
    const wrongToken = { ...both, headers: { ...both.headers, 'x-auth-token': 'secret-b' } };
    expect(await failure(() => authenticate(deps(key(), null), wrongToken))).toMatch(/^SMS\.9002 /); // a valid signature does not rescue a bad token
    expect(isSigned(both.headers)).toBe(false);
    expect(isSigned(signedPoll().headers)).toBe(true);
    expect(isSigned({ authorization: 'Basic dXNlcjpwYXNz' })).toBe(false);
    expect(await failure(() => authenticate(deps(key()), { ...signedPoll(), headers: { authorization: 'Basic dXNlcjpwYXNz' } }))).toMatch(/^SMS\.9001 /);
  });

  it('a store that lacks the sealing key of an SK fails as a backend error, not as a 401', async () => {
    const foreign = key({ sealedSecret: testSealer().seal(SK, 'AKSMSTEST0000000001') });
    expect(await failure(() => authenticate(deps(foreign), signedPoll()))).toMatch(/^not an SmsError: Error: the secret key of AKSMSTEST0000000001 does not open/);
  });

  it('answers at once from the read cache, by the same checks: a token or an access key it holds, refused or granted, with no look-up', async () => {
    const token: TokenRecord = { id: 'tok_1', name: 't', kind: 'agent', tokenHash: hashToken('secret-a'), sources: null, actions: ['sms:server:getCommand'], expiresAt: null, revokedAt: null, createdAt: now };
    const d = deps(null, null);
    const cache = { peekToken: (hash: string) => (hash === token.tokenHash ? token : undefined), peekAccessKey: (ak: string) => (ak === 'AKSMSTEST0000000001' ? key() : undefined) };
    const withToken = { ...signedPoll(), headers: { 'x-auth-token': 'secret-a' } };
    expect(authenticate({ ...d, cache }, withToken)).toBe(token); // not a promise
    expect(authenticate({ ...d, cache }, signedPoll())).toMatchObject({ id: 'AKSMSTEST0000000001', credential: 'access key' });
    expect(() => authenticate({ ...d, cache: { ...cache, peekToken: () => ({ ...token, expiresAt: now }) } }, withToken)).toThrow(/has expired/);
    expect(() => authenticate({ ...d, cache }, signedPoll(now, 'wrong'))).toThrow(SmsError);
    expect(d.asked).toEqual([]);
    // what the cache does not hold is looked up
    const looked = authenticate({ ...d, cache: { peekToken: () => undefined, peekAccessKey: () => undefined } }, withToken);
    expect(looked).toBeInstanceOf(Promise);
    await expect(looked).rejects.toMatchObject({ code: 'SMS.9002' }); // the store knows no such token
    expect(d.asked).toEqual([`token ${hashToken('secret-a')}`]);
  });

  it('admits through agentAuth: authenticated, then authorized for the action on the source server, at once when nothing is read', async () => {
    const token: TokenRecord = { id: 'tok_1', name: 't', kind: 'agent', tokenHash: hashToken('secret-a'), sources: ['s1'], actions: ['sms:server:getCommand'], expiresAt: null, revokedAt: null, createdAt: now };
    const auth = agentAuth({ ...deps(null, token), cache: { peekToken: () => token, peekAccessKey: () => undefined }, bodyLimitBytes: 1024 });
    const req = { method: 'GET', url: '/v3/sources/s1/command', headers: { 'x-auth-token': 'secret-a' } } as unknown as IncomingMessage;
    expect(auth.admit(req, {} as ServerResponse, 'sms:server:getCommand', 's1')).toBe(token);
    expect(() => auth.admit(req, {} as ServerResponse, 'sms:server:getCommand', 's2')).toThrow('token tok_1 is not issued for this source server');
    expect(() => auth.admit(req, {} as ServerResponse, 'sms:server:updateCommandResult', 's1')).toThrow('token tok_1 does not grant sms:server:updateCommandResult');
    const looked = agentAuth({ ...deps(null, token), bodyLimitBytes: 1024 }).admit(req, {} as ServerResponse, 'sms:server:getCommand', 's2');
    await expect(looked).rejects.toThrow('not issued for this source server');
  });

  it('claimOf reads the claim once the date is within the window', () => {
    const poll = signedPoll();
    expect(claimOf(poll.headers, now)).toMatchObject({ accessKey: 'AKSMSTEST0000000001', signedHeaders: ['content-type', 'host', 'x-sdk-date'] });
    expect(() => claimOf(poll.headers, new Date(now.getTime() + 15 * 60_000 + 1000))).toThrow(/more than 15 minutes/);
  });
});
