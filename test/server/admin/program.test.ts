/** The admin CLI in-process (buildProgram with a borrowed store): what each command prints and how it refuses bad input. */
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../server/admin/program.js';
import { SmsError } from '../../../server/errors.js';
import { openStore } from '../../../server/store/index.js';
import type { Store } from '../../../server/store/types.js';
import { EXAMPLE_SOURCE, EXAMPLE_TASK_ID, OTHER_SOURCE } from '../../../harness/fixtures.js';
import { parseDuration } from '../../../server/admin/program.js';
import { call, commandPath } from '../../../harness/http.js';
import { startInProcess } from '../../../harness/inProcess.js';
import { borrowed } from '../../../harness/storeDoubles.js';
import { testSealer } from '../../../harness/tokens.js';
import { newSealingKey, parseSealingKeys, ringSealer } from '../../../server/sealing.js';
import { fakeClock } from '../../support/clock.js';

/** The backup of a program that never runs `backup`. */
const noBackup = async (): Promise<never> => {
  throw new Error('this test runs no backup');
};

describe('admin program', () => {
  let store: Store;
  const clock = fakeClock();
  let out: string[];
  let err: string[];
  let sealer = testSealer();
  const admin = (...args: string[]) =>
    buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: (t) => err.push(t), now: clock.now, sealer: () => sealer, database: 'test', backup: noBackup }).parseAsync(args, { from: 'user' });

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    out = [];
    err = [];
  });
  afterEach(() => store.close());

  it('registers a source, queues a command and lists both', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE, '--name', 'web-01');
    await admin('commands', 'enqueue', EXAMPLE_SOURCE, 'start', '--task-id', EXAMPLE_TASK_ID);
    expect(out).toEqual([`registered source server ${EXAMPLE_SOURCE}`, `queued command 1: START for ${EXAMPLE_SOURCE}`]);
    out = [];
    await admin('commands', 'list', EXAMPLE_SOURCE, '--json');
    expect(JSON.parse(out[0] as string)).toEqual({
      commands: [expect.objectContaining({ command_id: 1, command_name: 'START', command_param: { task_id: EXAMPLE_TASK_ID }, state: 'pending', deliveries: 0 })],
      next_cursor: null,
    });
    out = [];
    await admin('sources', 'list');
    expect(out[0]).toMatch(/^server_id +name +last_poll_at +last_report_at +holds +created_at\n/);
    expect(out[0]).toContain('web-01');
  });

  it("and the admin API, on the same database, see each other's work", async () => {
    const server = await startInProcess({ store, clock });
    try {
      const adminToken = (await server.token({ kind: 'admin' })).secret;
      const api = (method: string, path: string, json?: unknown) => call(server.baseUrl, method, path, { token: adminToken, ...(json ? { json } : {}) });
      await admin('sources', 'add', EXAMPLE_SOURCE, '--name', 'web-01');
      expect((await api('GET', `/admin/v1/sources/${EXAMPLE_SOURCE}`)).json()).toMatchObject({ server_id: EXAMPLE_SOURCE, name: 'web-01' });
      const queued = (await api('POST', `/admin/v1/sources/${EXAMPLE_SOURCE}/commands`, { command_name: 'SYNC' })).json();
      out = [];
      await admin('commands', 'cancel', EXAMPLE_SOURCE, String(queued.command_id));
      expect(out).toEqual([`cancelled command ${queued.command_id}: SYNC for ${EXAMPLE_SOURCE}`]);
      expect((await api('GET', `/admin/v1/sources/${EXAMPLE_SOURCE}/commands`)).json().commands[0]).toMatchObject({ state: 'cancelled' });
      await admin('tokens', 'create', '--name', 'agent', '--source', EXAMPLE_SOURCE);
      const agent = out.at(-1) as string;
      expect((await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: agent })).json()).toEqual({ command_name: 'SKIP' });
      await server.flushLiveness();
      out = [];
      await admin('sources', 'show', EXAMPLE_SOURCE, '--json');
      expect(JSON.parse(out[0] as string)).toEqual((await api('GET', `/admin/v1/sources/${EXAMPLE_SOURCE}`)).json());
      expect(JSON.parse(out[0] as string).last_poll_at).toBe(clock.now().toISOString());
    } finally {
      await server.close();
    }
  });

  it('prints a new token once, alone on the last line, and stores only its hash', async () => {
    await admin('tokens', 'create', '--name', 'agent', '--expires-in', '30d');
    const secret = out.at(-1) as string;
    expect(secret).toMatch(/^sms_[A-Za-z0-9_-]{43}$/);
    const [record] = await store.listTokens();
    expect(record).toMatchObject({ name: 'agent', sources: null, expiresAt: new Date(clock.now().getTime() + 30 * 86_400_000) });
    expect(JSON.stringify(record)).not.toContain(secret);
    out = [];
    await admin('tokens', 'list');
    expect(out.join('\n')).not.toContain(secret);
  });

  it.each([
    [['commands', 'enqueue', 'no-such-source', 'START'], SmsError, 'Source server no-such-source is not registered'],
    [['results', 'list', 'no-such-source'], SmsError, 'Source server no-such-source is not registered'],
    [['tokens', 'create', '--name', 'x', '--source', 'no-such-source'], SmsError, 'Source server no-such-source is not registered'],
    [['tokens', 'revoke', 'tok_nope'], SmsError, 'No token tok_nope'],
    [['tokens', 'create', '--name', 'x', '--admin', '--action', 'sms:server:getCommand'], SmsError, 'an admin token takes no sources or actions'],
    [['commands', 'cancel', 'no-such-source', '1'], SmsError, 'Source server no-such-source is not registered'],
  ])('%j fails with the error table message', async (args, kind, message) => {
    await expect(admin(...args)).rejects.toThrow(kind);
    await expect(admin(...args)).rejects.toThrow(message);
  });

  it('refuses a source registered twice with sourceAlreadyRegistered', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE);
    await expect(admin('sources', 'add', EXAMPLE_SOURCE)).rejects.toMatchObject({ kind: 'sourceAlreadyRegistered', message: `Source server ${EXAMPLE_SOURCE} is already registered.` });
  });

  it.each([
    [['commands', 'enqueue', EXAMPLE_SOURCE, 'REBOOT'], 'the command is one of START, STOP, DELETE, SYNC (got "REBOOT")'],
    [['sources', 'add', 'x'.repeat(37)], 'a source server ID is 1 to 36 characters'],
    [['tokens', 'create', '--name', 'x', '--expires-in', 'soon'], 'such as 30d or 12h (got "soon")'],
    [['tokens', 'create', '--name', 'x', '--expires-in', '99999999999d'], 'a token lives at most 3650d (ten years)'],
    [['tokens', 'create', '--name', 'x', '--expires-in', '3651d'], 'a token lives at most 3650d'],
    [['tokens', 'create', '--name', 'x', '--action', 'sms:server:reboot'], 'an action is one of sms:server:getCommand, sms:server:updateCommandResult'],
    [['commands', 'enqueue', EXAMPLE_SOURCE, 'START', '--task-id', 't'.repeat(256)], '--task-id is at most 255 characters (got 256)'],
    [['commands', 'enqueue', EXAMPLE_SOURCE, 'START', '--bucket', 'a\u0000b'], '--bucket is 1 to 255 characters without control characters'],
    [['sources', 'add', EXAMPLE_SOURCE, '--name', 'two\nlines'], '--name is 1 to 255 characters without control characters'],
  ])('%j is a usage error on stderr, exit code 1, with nothing written', async (args, message) => {
    await expect(admin(...args)).rejects.toMatchObject({ constructor: CommanderError, exitCode: 1 });
    expect(err.join('')).toContain(message);
    expect(await store.listSources({ now: clock.now(), limit: 10 })).toEqual([]);
    expect(await store.listTokens()).toEqual([]);
  });
  it('prints tables with aligned columns, "-" for what is absent, and the held command of a source', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE, '--name', 'web-01');
    await admin('sources', 'add', OTHER_SOURCE);
    await admin('commands', 'enqueue', EXAMPLE_SOURCE, 'sync', '--task-id', 't-1', '--bucket', 'b-1');
    await store.leaseNextCommand(EXAMPLE_SOURCE, clock.now(), 60_000);
    out = [];
    await admin('sources', 'list');
    const created = clock.now().toISOString();
    const until = new Date(clock.now().getTime() + 60_000).toISOString();
    const rows = (out[0] as string).split('\n').map((l) => l.split(/ {2,}/));
    expect(rows).toEqual([
      ['server_id', 'name', 'last_poll_at', 'last_report_at', 'holds', 'created_at'],
      [EXAMPLE_SOURCE, 'web-01', '-', '-', `SYNC #1 until ${until}`, created],
      [OTHER_SOURCE, '-', '-', '-', '-', created],
    ]);
    // every column starts where its header starts
    const lines = (out[0] as string).split('\n');
    expect(lines[1]?.indexOf('web-01')).toBe(lines[0]?.indexOf('name'));
    expect(lines[2]?.indexOf(created)).toBe(lines[0]?.indexOf('created_at'));
    out = [];
    await admin('sources', 'show', OTHER_SOURCE);
    expect((out[0] as string).split('\n')[1]?.split(/ {2,}/)).toEqual([OTHER_SOURCE, '-', '-', '-', '-', created]);
    out = [];
    await admin('commands', 'list', EXAMPLE_SOURCE);
    expect((out[0] as string).split('\n').map((l) => l.split(/ {2,}/))).toEqual([
      ['id', 'command', 'task_id', 'bucket', 'state', 'deliveries', 'enqueued_at', 'lease_expires_at', 'completed_at', 'result_id'],
      ['1', 'SYNC', 't-1', 'b-1', 'leased', '1', created, until, '-', '-'],
    ]);
  });

  it('says so when a list is empty, for each list', async () => {
    await admin('sources', 'list');
    await admin('tokens', 'list');
    await admin('sources', 'add', EXAMPLE_SOURCE);
    out = [];
    await admin('commands', 'list', EXAMPLE_SOURCE);
    await admin('results', 'list', EXAMPLE_SOURCE);
    await admin('commands', 'list', EXAMPLE_SOURCE, '--state', 'PENDING');
    expect(out).toEqual([`no commands for ${EXAMPLE_SOURCE}`, `no results for ${EXAMPLE_SOURCE}`, `no commands for ${EXAMPLE_SOURCE}`]);
    expect(err).toEqual([]);
  });

  it('pages with --limit and --cursor, and prints how to get the next page', async () => {
    for (const id of ['a-1', 'a-2', 'a-3']) await admin('sources', 'add', id);
    out = [];
    await admin('sources', 'list', '--limit', '2');
    expect(out[0]?.split('\n').slice(1).map((l) => l.split(' ')[0])).toEqual(['a-1', 'a-2']);
    const more = /^\(more: --cursor (\S+)\)$/.exec(out[1] as string);
    expect(more).not.toBeNull();
    expect(out).toHaveLength(2);
    out = [];
    await admin('sources', 'list', '--limit', '2', '--cursor', more?.[1] as string);
    expect(out).toHaveLength(1); // the last page: no "more"
    expect(out[0]?.split('\n').slice(1).map((l) => l.split(' ')[0])).toEqual(['a-3']);
    out = [];
    await admin('sources', 'list', '--limit', '2', '--json');
    const page = JSON.parse(out[0] as string);
    expect(page.sources.map((x: { server_id: string }) => x.server_id)).toEqual(['a-1', 'a-2']);
    expect(page.next_cursor).toBe(more?.[1]);
    expect(out[0]).toContain('\n  "sources"'); // indented for people
  });

  it('lists only the commands in the state asked for, and results newest first', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE);
    await admin('commands', 'enqueue', EXAMPLE_SOURCE, 'START');
    await admin('commands', 'enqueue', EXAMPLE_SOURCE, 'STOP');
    await admin('commands', 'cancel', EXAMPLE_SOURCE, '2');
    await store.leaseNextCommand(EXAMPLE_SOURCE, clock.now(), 60_000); // START, which the report below completes
    out = [];
    await admin('commands', 'list', EXAMPLE_SOURCE, '--state', 'Cancelled', '--json');
    expect(JSON.parse(out[0] as string).commands.map((c: { command_id: number }) => c.command_id)).toEqual([2]);
    for (const [name, result] of [['START', 'success'], ['SYNC', 'fail']] as const) {
      await store.recordResult({ serverId: EXAMPLE_SOURCE, commandName: name, result, resultDetailJson: '{"msg":"m"}', receivedAt: clock.now(), requestId: `req-${name}` });
    }
    out = [];
    await admin('results', 'list', EXAMPLE_SOURCE);
    const rows = (out[0] as string).split('\n').map((l) => l.split(/ {2,}/));
    expect(rows[0]).toEqual(['id', 'command', 'result', 'result_detail', 'received_at', 'request_id', 'command_id', 'unsolicited']);
    expect(rows.slice(1)).toEqual([
      ['2', 'SYNC', 'fail', '{"msg":"m"}', clock.now().toISOString(), 'req-SYNC', '-', 'true'],
      ['1', 'START', 'success', '{"msg":"m"}', clock.now().toISOString(), 'req-START', '1', 'false'],
    ]);
  });

  it('creates tokens with the scope it prints, lists them without secrets, and revokes them', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE);
    await admin('sources', 'add', OTHER_SOURCE);
    out = [];
    await admin('tokens', 'create', '--name', 'scoped', '--source', EXAMPLE_SOURCE, '--source', OTHER_SOURCE, '--action', 'sms:server:getCommand', '--expires-in', '12h');
    const [scoped] = await store.listTokens();
    const expires = new Date(clock.now().getTime() + 12 * 3_600_000).toISOString();
    expect(out.slice(0, 2)).toEqual([
      `created agent token ${scoped?.id} (scoped) for ${EXAMPLE_SOURCE}, ${OTHER_SOURCE}; actions sms:server:getCommand; expires ${expires}`,
      'The token is shown only this once; only its hash is stored:',
    ]);
    out = [];
    await admin('tokens', 'create', '--name', 'ops', '--admin');
    const admins = (await store.listTokens()).filter((t) => t.kind === 'admin');
    expect(out[0]).toBe(`created admin token ${admins[0]?.id} (ops) for the admin API; expires -`);
    out = [];
    await admin('tokens', 'create', '--name', 'fleet');
    expect(out[0]).toMatch(/\(fleet\) for all source servers; actions sms:server:getCommand, sms:server:updateCommandResult; expires -$/);
    out = [];
    await admin('tokens', 'revoke', scoped?.id as string);
    expect(out).toEqual([`revoked token ${scoped?.id}`]);
    out = [];
    await admin('tokens', 'list');
    const rows = (out[0] as string).split('\n').map((l) => l.split(/ {2,}/));
    expect(rows[0]).toEqual(['token_id', 'name', 'kind', 'sources', 'actions', 'status', 'expires_at', 'created_at']);
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r[1], r]));
    expect(byName.scoped?.slice(2, 7)).toEqual(['agent', JSON.stringify([EXAMPLE_SOURCE, OTHER_SOURCE]), '["sms:server:getCommand"]', 'revoked', expires]);
    expect(byName.ops?.slice(2, 7)).toEqual(['admin', '-', '[]', 'active', '-']);
    expect(byName.fleet?.slice(2, 4)).toEqual(['agent', 'all']);
    out = [];
    await admin('tokens', 'list', '--json');
    expect(JSON.parse(out[0] as string).tokens.map((t: { name: string; status: string }) => [t.name, t.status])).toEqual(
      (await store.listTokens()).map((t) => [t.name, t.id === scoped?.id ? 'revoked' : 'active']),
    );
  });

  it('prints a new access key as its last two lines, AK then SK, and stores the SK only sealed', async () => {
    await admin('sources', 'add', EXAMPLE_SOURCE);
    out = [];
    await admin('keys', 'create', '--name', 'agent-web-01', '--source', EXAMPLE_SOURCE, '--action', 'sms:server:getCommand', '--expires-in', '90d');
    const [ak, sk] = out.slice(-2) as [string, string];
    expect(ak).toMatch(/^AKSMS[A-Z0-9]{15}$/);
    expect(sk).toMatch(/^[A-Za-z0-9]{40}$/);
    const expires = new Date(clock.now().getTime() + 90 * 86_400_000);
    expect(out.slice(0, 2)).toEqual([
      `created access key ${ak} (agent-web-01) for ${EXAMPLE_SOURCE}; actions sms:server:getCommand; expires ${expires.toISOString()}`,
      'The secret key (SK) is shown only this once; it is stored sealed. AK, then SK:',
    ]);
    const [record] = await store.listAccessKeys();
    expect(record).toMatchObject({ accessKey: ak, name: 'agent-web-01', sources: [EXAMPLE_SOURCE], actions: ['sms:server:getCommand'], expiresAt: expires, revokedAt: null });
    expect(JSON.stringify(record)).not.toContain(sk);
    expect(sealer.open(record?.sealedSecret as string, ak)).toBe(sk);
    out = [];
    await admin('keys', 'create', '--name', 'fleet');
    expect(out[0]).toMatch(/\(fleet\) for all source servers; actions sms:server:getCommand, sms:server:updateCommandResult; expires -$/);
  });

  it('lists access keys without their SKs, revokes them, and says which one it could not find', async () => {
    await admin('keys', 'list');
    expect(out).toEqual(['no access keys']);
    await admin('keys', 'create', '--name', 'one');
    const [ak, sk] = out.slice(-2) as [string, string];
    out = [];
    await admin('keys', 'revoke', ak);
    expect(out).toEqual([`revoked access key ${ak}`]);
    out = [];
    await admin('keys', 'list');
    const rows = (out[0] as string).split('\n').map((l) => l.split(/ {2,}/));
    expect(rows[0]).toEqual(['access_key', 'name', 'sources', 'actions', 'status', 'expires_at', 'created_at']);
    expect(rows[1]?.slice(0, 6)).toEqual([ak, 'one', 'all', '["sms:server:getCommand","sms:server:updateCommandResult"]', 'revoked', '-']);
    out = [];
    await admin('keys', 'list', '--json');
    expect(JSON.parse(out[0] as string)).toEqual({ access_keys: [expect.objectContaining({ access_key: ak, status: 'revoked', sources: null })] });
    expect(out.join('\n')).not.toContain(sk);
    await expect(admin('keys', 'revoke', 'AKNOPE')).rejects.toThrow('No access key AKNOPE. List access keys with `npm run admin -- keys list`');
    await expect(admin('keys', 'create', '--name', 'x', '--source', 'no-such-source')).rejects.toThrow('Source server no-such-source is not registered');
  });

  it('reseals every SK under the first sealing key after a rotation, and prints a new sealing key', async () => {
    const oldEntry = newSealingKey('old');
    const newEntry = newSealingKey('new');
    sealer = ringSealer(parseSealingKeys(oldEntry, 'test'));
    await admin('keys', 'create', '--name', 'a');
    const [ak, sk] = out.slice(-2) as [string, string];
    sealer = ringSealer(parseSealingKeys(`${newEntry}\n${oldEntry}`, 'test'));
    out = [];
    await admin('keys', 'reseal');
    expect(out).toEqual(['resealed 1 of 1 access keys under the current sealing key']);
    const [record] = await store.listAccessKeys();
    expect(record?.sealedSecret.split('.')[1]).toBe('new');
    expect(ringSealer(parseSealingKeys(newEntry, 'test')).open(record?.sealedSecret as string, ak)).toBe(sk); // the old key can now be dropped
    out = [];
    await admin('keys', 'reseal');
    expect(out).toEqual(['resealed 0 of 1 access keys under the current sealing key']);
    sealer = ringSealer(parseSealingKeys(newSealingKey('other'), 'test'));
    await expect(admin('keys', 'reseal')).rejects.toThrow(`the secret key of ${ak} is sealed under key new, which this server does not have`);
    out = [];
    await admin('keys', 'new-sealing-key', '--id', 'k2027');
    expect(out).toEqual([expect.stringMatching(/^k2027:[A-Za-z0-9+/]{43}=$/)]);
    expect(parseSealingKeys(out[0] as string, 'printed').size).toBe(1);
  });

  it('opens no sealer for a command that seals nothing', async () => {
    let made = 0;
    await buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: () => {}, now: clock.now, sealer: () => (made++, sealer), database: 'test', backup: noBackup }).parseAsync(['keys', 'list'], { from: 'user' });
    expect(made).toBe(0);
  });

  it('parses durations in seconds, minutes, hours and days, and nothing else', () => {
    expect([parseDuration('90s'), parseDuration('15m'), parseDuration(' 12h '), parseDuration('30 d'), parseDuration('3650d')]).toEqual([90, 900, 43_200, 2_592_000, 3650 * 86_400]);
    for (const bad of ['0s', '10', 'd', '1w', '-1d', '1.5h', '3651d']) expect(() => parseDuration(bad), bad).toThrow(/duration|at most 3650d/);
  });

  it.each([
    [['sources', 'list', '--limit', '0'], '--limit is a whole number from 1 to 1000 (got "0")'],
    [['sources', 'list', '--limit', '1001'], '--limit is a whole number from 1 to 1000 (got "1001")'],
    [['sources', 'list', '--limit', '2x'], '--limit is a whole number from 1 to 1000 (got "2x")'],
    [['commands', 'cancel', EXAMPLE_SOURCE, '0'], '<command_id> is a whole number from 1 to'],
    [['commands', 'list', EXAMPLE_SOURCE, '--state', 'finished'], 'a state is one of pending, leased, done, cancelled (got "finished")'],
    [['sources', 'add', 'bad id'], 'a source server ID is 1 to 36 characters of'],
    [['tokens', 'create', '--name', 'n'.repeat(256)], '--name is at most 255 characters (got 256)'],
  ])('%j is refused before anything is opened', async (args, message) => {
    let opened = 0;
    const program = buildProgram({ openStore: async () => (opened++, borrowed(store)), out: (l) => out.push(l), err: (t) => err.push(t), now: clock.now, sealer: testSealer, database: 'test', backup: noBackup });
    await expect(program.parseAsync(args, { from: 'user' })).rejects.toMatchObject({ exitCode: 1 });
    expect(err.join('')).toContain(message);
    expect(err.join('')).toContain('(run with --help for usage)');
    expect(opened).toBe(0);
  });

  it('names the database in --help, and closes the store it opened after each command, failed or not', async () => {
    await expect(admin('--help')).rejects.toMatchObject({ exitCode: 0 });
    expect(out.join('\n')).toContain('Database: test.');
    let closed = 0;
    const program = () =>
      buildProgram({ openStore: async () => new Proxy(store, { get: (t, p, r) => (p === 'close' ? async () => void closed++ : Reflect.get(t, p, r)) }), out: () => {}, err: () => {}, now: clock.now, sealer: testSealer, database: 'test', backup: noBackup });
    await program().parseAsync(['sources', 'add', EXAMPLE_SOURCE], { from: 'user' });
    await expect(program().parseAsync(['sources', 'add', EXAMPLE_SOURCE], { from: 'user' })).rejects.toThrow(SmsError);
    expect(closed).toBe(2);
  });

  it('backup: copies to the file given, a progress line on stderr per tenth reached, the size on stdout', async () => {
    const steps = [0, 256, 260, 512, 768, 1000, 1000];
    const backups: string[] = [];
    const backup = async (destination: string, onProgress: (p: { copiedPages: number; totalPages: number }) => void) => {
      backups.push(destination);
      for (const copiedPages of steps) onProgress({ copiedPages, totalPages: 1000 });
      return { pages: 1000, bytes: 4_096_000 };
    };
    await buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: (t) => err.push(t), now: clock.now, sealer: testSealer, database: 'test', backup }).parseAsync(['backup', 'copy.sqlite'], { from: 'user' });
    expect(backups).toEqual(['copy.sqlite']);
    expect(err).toEqual(['backup: 0% (0 of 1000 pages)\n', 'backup: 25% (256 of 1000 pages)\n', 'backup: 51% (512 of 1000 pages)\n', 'backup: 76% (768 of 1000 pages)\n', 'backup: 100% (1000 of 1000 pages)\n']);
    expect(out).toEqual(['backed up 1000 pages (3.9 MiB) to copy.sqlite']);
  });

  it('backup: an empty database is 100% at once, and a failed backup prints no success', async () => {
    const empty = async (_: string, onProgress: (p: { copiedPages: number; totalPages: number }) => void) => (onProgress({ copiedPages: 0, totalPages: 0 }), { pages: 0, bytes: 0 });
    await buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: (t) => err.push(t), now: clock.now, sealer: testSealer, database: 'test', backup: empty }).parseAsync(['backup', 'copy.sqlite'], { from: 'user' });
    expect(err).toEqual(['backup: 100% (0 of 0 pages)\n']);
    expect(out).toEqual(['backed up 0 pages (0.0 MiB) to copy.sqlite']);
    out = [];
    await expect(admin('backup', 'copy.sqlite')).rejects.toThrow('this test runs no backup');
    expect(out).toEqual([]);
  });
});
