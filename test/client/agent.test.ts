/** The Agent loop against the real server: START, STOP, SKIP; failures reported; unknown commands tolerated; clean stop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownCommandError, createSmsClient, runAgent, type Command, type SmsClient } from '../../client/src/index.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';

describe('runAgent', () => {
  let server: InProcessServer;
  let token: string;
  let n = 0;
  const source = () => `agent-src-${n}`;

  beforeAll(async () => {
    server = await startInProcess();
    token = (await server.token()).secret;
  });
  afterAll(async () => server.close());

  /** Runs the Agent on the current source server, polling every 5 ms, until `stop` aborts. */
  const agentOn = (client: SmsClient, stop: AbortController, handlers: Parameters<typeof runAgent>[0]['handlers']) =>
    runAgent({ client, serverId: source(), pollIntervalMs: 5, signal: stop.signal, handlers });

  const fresh = async () => {
    n++;
    await server.addSource(source());
    return createSmsClient({ baseUrl: server.baseUrl, token });
  };

  it('runs START then STOP, reports each, then waits on SKIP until stopped', async () => {
    const client = await fresh();
    await server.enqueue(source(), 'START', { taskId: 't-1' });
    await server.enqueue(source(), 'STOP', { taskId: 't-1' });
    const seen: string[] = [];
    const stop = new AbortController();
    let skips = 0;
    const watching: SmsClient = {
      ...client,
      async showCommand(id, o) {
        const c = await client.showCommand(id, o);
        if (c.command_name === 'SKIP' && ++skips === 2) stop.abort();
        return c;
      },
    };
    const stats = await runAgent({
      client: watching,
      serverId: source(),
      pollIntervalMs: 5,
      signal: stop.signal,
      handlers: {
        START: (p) => (seen.push(`START ${p.task_id}`), { started: p.task_id }),
        STOP: (p) => void seen.push(`STOP ${p.task_id}`),
      },
    });
    expect(seen).toEqual(['START t-1', 'STOP t-1']);
    expect(stats).toMatchObject({ commands: 2, reported: 2, failedCommands: 0, unknownCommands: 0 });
    expect(stats.polls).toBeGreaterThanOrEqual(4);
    const results = await server.store.listResults(source());
    expect(results.map((r) => [r.commandName, r.result, r.resultDetail, r.unsolicited])).toEqual([
      ['START', 'success', { started: 't-1' }, false],
      ['STOP', 'success', {}, false],
    ]);
    expect((await server.store.listCommands(source())).every((c) => c.state === 'done')).toBe(true);
  });

  it('reports a thrown error as fail with the message', async () => {
    const client = await fresh();
    await server.enqueue(source(), 'SYNC', { bucket: 'b' });
    const stop = new AbortController();
    await runAgent({
      client,
      serverId: source(),
      pollIntervalMs: 5,
      signal: stop.signal,
      handlers: {
        SYNC: () => {
          stop.abort();
          throw new Error('rsync exited with code 23');
        },
      },
    });
    const [r] = await server.store.listResults(source());
    expect(r).toMatchObject({ commandName: 'SYNC', result: 'fail', resultDetail: { error: 'Error', message: 'rsync exited with code 23' } });
  });

  it('tolerates a command it has no handler for (PREMIGRATE), telling onError, and goes on', async () => {
    const script: Command[] = [{ command_name: 'PREMIGRATE' } as unknown as Command, { command_name: 'START', command_param: { task_id: 'x' } }];
    const reports: unknown[] = [];
    const stop = new AbortController();
    const fake: SmsClient = {
      raw: undefined as never,
      async showCommand() {
        const next = script.shift();
        if (!next) {
          stop.abort();
          return { command_name: 'SKIP' };
        }
        return next;
      },
      async updateCommandResult(_id, body) {
        reports.push(body);
      },
    };
    const errors: unknown[] = [];
    const stats = await runAgent({ client: fake, serverId: 's', pollIntervalMs: 1, signal: stop.signal, onError: (e) => errors.push(e), handlers: { START: () => ({ ok: true }) } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UnknownCommandError);
    expect((errors[0] as Error).message).toContain('PREMIGRATE');
    expect(reports).toEqual([{ command_name: 'START', result: 'success', result_detail: { ok: true } }]);
    expect(stats.unknownCommands).toBe(1);
  });

  it('on abort during a command, finishes that command report first, then stops', async () => {
    const client = await fresh();
    await server.enqueue(source(), 'DELETE');
    await server.enqueue(source(), 'START');
    const stop = new AbortController();
    let abortedInHandler: boolean | undefined;
    const stats = await agentOn(client, stop, {
      DELETE: async (_p, ctx) => {
        stop.abort();
        abortedInHandler = ctx.signal.aborted; // asserted outside: a throw in here would become a "fail" report
        return { deleted: true };
      },
      START: () => ({}),
    });
    expect(abortedInHandler).toBe(true);
    expect(stats).toMatchObject({ commands: 1, reported: 1 });
    const results = await server.store.listResults(source());
    expect(results.map((r) => r.commandName)).toEqual(['DELETE']);
    expect((await server.store.listCommands(source())).map((c) => c.state)).toEqual(['done', 'pending']);
  });

  it("aborts the handler's signal when the Agent is asked to stop while the command runs", async () => {
    const client = await fresh();
    await server.enqueue(source(), 'SYNC');
    const stop = new AbortController();
    let seen: AbortSignal | undefined;
    let abortedWhileRunning: boolean | undefined;
    const stats = await agentOn(client, stop, {
      SYNC: async (_p, ctx) => {
        seen = ctx.signal;
        setTimeout(() => stop.abort(new Error('SIGTERM')), 10); // the operator stops the Agent mid-command
        abortedWhileRunning = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 2000);
          ctx.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(true)), { once: true });
        });
        return { interrupted: ctx.signal.aborted };
      },
    });
    expect(abortedWhileRunning).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).message).toBe('SIGTERM');
    expect(stats).toMatchObject({ commands: 1, reported: 1 });
    expect((await server.store.listResults(source()))[0]?.resultDetail).toEqual({ interrupted: true });
  });

  it('retries a report on network errors so the result is not lost', async () => {
    await fresh();
    await server.enqueue(source(), 'START');
    let failures = 2;
    const flaky = createSmsClient({
      baseUrl: server.baseUrl,
      token,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (req.method === 'POST' && failures-- > 0) throw new TypeError('fetch failed');
        return fetch(req);
      },
    });
    const stop = new AbortController();
    const errors: unknown[] = [];
    await runAgent({
      client: flaky,
      serverId: source(),
      pollIntervalMs: 5,
      signal: stop.signal,
      reportRetry: { retries: 5, baseDelayMs: 1 },
      onError: (e) => errors.push(e),
      handlers: { START: () => void stop.abort() },
    });
    expect(errors).toEqual([]);
    expect((await server.store.listResults(source())).map((r) => r.commandName)).toEqual(['START']);
  });

  it('survives failing polls, telling onError, until stopped', async () => {
    const stop = new AbortController();
    const errors: unknown[] = [];
    const client = createSmsClient({ baseUrl: 'http://127.0.0.1:9', token, retry: false });
    const stats = await runAgent({
      client,
      serverId: 'x',
      pollIntervalMs: 1,
      signal: stop.signal,
      handlers: {},
      onError: (e) => {
        errors.push(e);
        if (errors.length === 3) stop.abort();
      },
    });
    expect(errors).toHaveLength(3);
    expect((errors[0] as Error).name).toBe('SmsNetworkError');
    expect(stats.polls).toBe(3);
  });
});
