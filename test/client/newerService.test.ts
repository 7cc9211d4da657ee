/**
 * Agents that survive a newer service: against a server that answers every poll with a command this spec
 * does not list (PREMIGRATE, as the live SMS does since 2026), the client returns it as an unknown command,
 * and the Agent loop tells onError once, never polls faster than its interval, and backs off.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnknownCommandError, createSmsClient, isKnownCommand, runAgent, type Command, type SmsClient } from '../../client/src/index.js';

const PREMIGRATE = { command_name: 'PREMIGRATE', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } };

describe('a service that always answers PREMIGRATE', () => {
  let server: Server;
  let baseUrl: string;
  const polls: number[] = [];
  const reports: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') polls.push(performance.now());
      else reports.push(req.url ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Request-Id', 'r');
      res.end(JSON.stringify(req.method === 'GET' ? PREMIGRATE : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the client returns the command as is, and isKnownCommand says it is not one of the spec', async () => {
    const command = await createSmsClient({ baseUrl, token: 't' }).showCommand('s');
    expect(command).toEqual(PREMIGRATE);
    expect(isKnownCommand(command)).toBe(false);
  });

  it('the Agent tells onError once, reports nothing, and waits at least its interval between polls, longer each time', async () => {
    polls.length = 0;
    const errors: unknown[] = [];
    const stop = new AbortController();
    const stopAt = setTimeout(() => stop.abort(), 1000);
    const stats = await runAgent({
      client: createSmsClient({ baseUrl, token: 't' }),
      serverId: 's',
      pollIntervalMs: 50,
      jitter: 0,
      maxBackoffMs: 400,
      signal: stop.signal,
      onError: (e) => errors.push(e),
      handlers: { START: () => ({}) },
    });
    clearTimeout(stopAt);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UnknownCommandError);
    expect((errors[0] as UnknownCommandError).command).toEqual(PREMIGRATE);
    expect(reports).toEqual([]);
    // 50, 100, 200, 400, 400 ms apart: about 5 polls in a second (the loop before this change made hundreds)
    expect(stats.polls).toBeLessThanOrEqual(6);
    expect(stats.polls).toBeGreaterThanOrEqual(2);
    const gaps = polls.slice(1).map((t, i) => t - (polls[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThan((gaps[0] as number) * 1.5);
  });
});

describe('runAgent pacing (fake timers)', () => {
  afterEach(() => vi.useRealTimers());

  /** A client that answers from a script (then SKIP forever) and notes the fake time of every poll. */
  function scripted(script: Command[]) {
    const at: number[] = [];
    const reported: string[] = [];
    const client: SmsClient = {
      raw: undefined as never,
      async showCommand() {
        at.push(Date.now());
        return script.shift() ?? { command_name: 'SKIP' };
      },
      async updateCommandResult(_id, body) {
        reported.push(body.command_name);
      },
    };
    return { client, at, reported };
  }

  it('doubles the wait while the same unknown command keeps coming, up to maxBackoffMs; resets on another answer', async () => {
    vi.useFakeTimers({ now: 0 });
    const x = { command_name: 'TASK_HAS_FINISHED' } as Command;
    const { client, at, reported } = scripted([x, x, x, x, x, x, { command_name: 'START' }, x, x]);
    const errors: unknown[] = [];
    const stop = new AbortController();
    const done = runAgent({ client, serverId: 's', pollIntervalMs: 1000, jitter: 0, maxBackoffMs: 8000, signal: stop.signal, onError: (e) => errors.push(e), handlers: { START: () => ({}) } });
    await vi.advanceTimersByTimeAsync(60_000);
    stop.abort();
    await done;
    const gaps = at.slice(1, 10).map((t, i) => t - (at[i] as number));
    // six TASK_HAS_FINISHED: 1, 2, 4, 8, 8, 8 s; START runs and is reported, polled again at once; then 1, 2 s
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 0, 1000, 2000]);
    expect(reported).toEqual(['START']);
    expect(errors).toHaveLength(1); // the same command is told once, also when it comes back after START
  });

  it('never waits less than the interval, whatever the jitter draws; a known command without a handler is not run', async () => {
    vi.useFakeTimers({ now: 0 });
    const { client, at, reported } = scripted([{ command_name: 'SKIP' }, { command_name: 'DELETE' }, { command_name: 'SKIP' }]);
    const errors: unknown[] = [];
    const stop = new AbortController();
    const done = runAgent({ client, serverId: 's', pollIntervalMs: 1000, jitter: 0.2, random: () => 0, signal: stop.signal, onError: (e) => errors.push(e), handlers: {} });
    await vi.advanceTimersByTimeAsync(10_000);
    stop.abort();
    await done;
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(Math.min(...gaps)).toBe(1000);
    expect(reported).toEqual([]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('no handler for command DELETE');
  });
});
