/** The admin CLI in-process (buildProgram with a borrowed store): what each command prints and how it refuses bad input. */
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../server/admin/program.js';
import { SmsError } from '../../server/errors.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { EXAMPLE_SOURCE, EXAMPLE_TASK_ID } from '../../harness/fixtures.js';
import { call, commandPath } from '../../harness/http.js';
import { startInProcess } from '../../harness/inProcess.js';
import { borrowed } from '../../harness/storeDoubles.js';
import { fakeClock } from '../support/clock.js';

describe('admin program', () => {
  let store: Store;
  const clock = fakeClock();
  let out: string[];
  let err: string[];
  const admin = (...args: string[]) =>
    buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: (t) => err.push(t), now: clock.now, database: 'test' }).parseAsync(args, { from: 'user' });

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
});
