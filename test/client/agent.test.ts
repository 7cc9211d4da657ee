/** The Agent loop against the real server: START, STOP, SKIP; failures reported; unknown commands tolerated; clean stop. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnknownCommandError, createSmsClient, runAgent, type CallOptions, type Command, type CommandBody, type SmsClient } from '../../client/src/index.js';
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

/** A client that answers polls from a script (then SKIP, stopping the Agent after `skipsBeforeStop` SKIPs) and records reports. */
function scriptedClient(script: Command[], stop: AbortController, options: { skipsBeforeStop?: number; report?: (body: CommandBody) => Promise<void> } = {}) {
  const reports: Array<{ body: CommandBody; call: CallOptions | undefined }> = [];
  let skips = 0;
  const client: SmsClient = {
    raw: undefined as never,
    async showCommand() {
      const next = script.shift();
      if (next) return next;
      if (++skips >= (options.skipsBeforeStop ?? 1)) stop.abort();
      return { command_name: 'SKIP' };
    },
    async updateCommandResult(_id, body, call) {
      reports.push({ body, call });
      await options.report?.(body);
    },
  };
  return { client, reports };
}

describe('runAgent with a scripted client', () => {
  const unknown = (name: string) => ({ command_name: name }) as unknown as Command;

  it('reports with its retry policy (8 retries, 500 ms base, 30 s cap) unless given another', async () => {
    const stop = new AbortController();
    const { client, reports } = scriptedClient([{ command_name: 'START', command_param: { task_id: 't' } }], stop);
    await runAgent({ client, serverId: 's', pollIntervalMs: 1, signal: stop.signal, handlers: { START: () => ({}) } });
    expect(reports.map((r) => r.call)).toEqual([{ retry: { retries: 8, baseDelayMs: 500, maxDelayMs: 30_000 } }]);
  });

  it('counts a failed command, and cuts its message to 4,000 characters', async () => {
    const stop = new AbortController();
    const { client, reports } = scriptedClient([{ command_name: 'SYNC' }], stop);
    const stats = await runAgent({ client, serverId: 's', pollIntervalMs: 1, signal: stop.signal, handlers: { SYNC: () => { throw new RangeError('x'.repeat(5000)); } } });
    expect(stats).toMatchObject({ commands: 1, failedCommands: 1, reported: 1 });
    expect(reports[0]?.body).toEqual({ command_name: 'SYNC', result: 'fail', result_detail: { error: 'RangeError', message: 'x'.repeat(4000) } });
  });

  it('never runs or reports SKIP, even with a handler under that name', async () => {
    const stop = new AbortController();
    const { client, reports } = scriptedClient([], stop, { skipsBeforeStop: 3 });
    let ran = 0;
    const handlers = { SKIP: () => void ran++ } as never;
    const stats = await runAgent({ client, serverId: 's', pollIntervalMs: 1, signal: stop.signal, handlers });
    expect(ran).toBe(0);
    expect(reports).toEqual([]);
    expect(stats).toMatchObject({ polls: 3, commands: 0, reported: 0, failedCommands: 0, unknownCommands: 0 });
  });

  it('tells onError about each unknown command once, also when another came between', async () => {
    const stop = new AbortController();
    const { client } = scriptedClient([unknown('PREMIGRATE'), unknown('RESIZE'), unknown('PREMIGRATE')], stop);
    const errors: unknown[] = [];
    const stats = await runAgent({ client, serverId: 's', pollIntervalMs: 1, maxBackoffMs: 1, signal: stop.signal, handlers: {}, onError: (e) => errors.push(e) });
    expect(errors.map((e) => (e as UnknownCommandError).message)).toEqual([expect.stringContaining('PREMIGRATE'), expect.stringContaining('RESIZE')]);
    expect(stats.unknownCommands).toBe(2);
  });

  it('tells onError when a report is lost after its retries, and goes on', async () => {
    const stop = new AbortController();
    const lost = new Error('report failed');
    const { client } = scriptedClient([{ command_name: 'STOP' }], stop, { report: () => Promise.reject(lost) });
    const errors: unknown[] = [];
    const stats = await runAgent({ client, serverId: 's', pollIntervalMs: 1, signal: stop.signal, handlers: { STOP: () => ({}) }, onError: (e) => errors.push(e) });
    expect(errors).toEqual([lost]);
    expect(stats).toMatchObject({ commands: 1, reported: 0 });
  });

  it('does not tell onError about the poll its own stop aborted', async () => {
    const stop = new AbortController();
    const errors: unknown[] = [];
    const client: SmsClient = {
      raw: undefined as never,
      showCommand: (_id, call) =>
        new Promise((_, reject) => {
          call?.signal?.addEventListener('abort', () => reject(call.signal?.reason));
          setTimeout(() => stop.abort(new Error('stopping')), 1);
        }),
      updateCommandResult: async () => {},
    };
    const stats = await runAgent({ client, serverId: 's', pollIntervalMs: 1, signal: stop.signal, handlers: {}, onError: (e) => errors.push(e) });
    expect(errors).toEqual([]);
    expect(stats.polls).toBe(1);
  });

  describe('waiting', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('waits the interval plus up to 20% jitter by default after SKIP, never less than the interval', async () => {
      const stop = new AbortController();
      let polls = 0;
      const client: SmsClient = { raw: undefined as never, showCommand: async () => (polls++, { command_name: 'SKIP' }), updateCommandResult: async () => {} };
      const running = runAgent({ client, serverId: 's', pollIntervalMs: 1000, random: () => 1, signal: stop.signal, handlers: {} });
      await vi.advanceTimersByTimeAsync(0);
      expect(polls).toBe(1);
      await vi.advanceTimersByTimeAsync(1199);
      expect(polls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(polls).toBe(2);
      stop.abort();
      await vi.runAllTimersAsync();
      await running;
    });
  });
});
