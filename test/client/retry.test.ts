/** Retries and timeouts with a fake fetch and fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SmsApiError, SmsInputError, SmsNetworkError, SmsTimeoutError, checkServerId, createSmsClient, parseRetryAfter, type RetryInfo } from '../../client/src/index.js';
import { sleep } from '../../client/src/retry.js';

const SOURCE = 'src-1';
const ok = () => new Response(JSON.stringify({ command_name: 'SKIP' }), { status: 200, headers: { 'content-type': 'application/json' } });
const status = (s: number, headers: Record<string, string> = {}, body = JSON.stringify({ error_code: 'SMS.2007', error_msg: 'boom' })) =>
  new Response(body, { status: s, headers: { 'content-type': 'application/json', 'x-request-id': `req-${s}`, ...headers } });

/** A fetch that answers from a script, one entry per call, and counts calls. */
function scripted(script: Array<Response | Error | 'hang'>) {
  const calls: Request[] = [];
  const fetchFn = vi.fn(async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    calls.push(request);
    const next = script[Math.min(calls.length - 1, script.length - 1)];
    if (next === 'hang') {
      return new Promise<Response>((_, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason ?? new Error('aborted')));
      });
    }
    if (next instanceof Error) throw next;
    return (next as Response).clone();
  });
  return { fetch: fetchFn as unknown as typeof fetch, calls };
}

/** Notes when a promise settles, so a test asserts it (instead of hanging into vitest's timeout). */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  const tracked = promise.finally(() => (done = true));
  return { promise: tracked, settled: () => done };
}

describe('retries', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries ShowCommand on 5xx, 429 and network errors with full-jitter backoff, then succeeds', async () => {
    const f = scripted([status(503), status(429), new TypeError('fetch failed'), ok()]);
    const retries: RetryInfo[] = [];
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => 1, retry: { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 }, onRetry: (i) => retries.push(i) });
    const p = client.showCommand(SOURCE);
    await vi.runAllTimersAsync();
    expect(await p).toEqual({ command_name: 'SKIP' });
    expect(f.calls).toHaveLength(4);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 100], [2, 200], [3, 400]]);
    expect(retries.map((r) => ('status' in r.reason ? r.reason.status : r.reason.error.name))).toEqual([503, 429, 'SmsNetworkError']);
  });

  it('keeps every delay within [0, min(cap, base * 2^n)]', async () => {
    for (const r of [0, 0.37, 0.999]) {
      const f = scripted([status(500)]);
      const delays: number[] = [];
      const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => r, retry: { retries: 6, baseDelayMs: 100, maxDelayMs: 1000 }, onRetry: (i) => delays.push(i.delayMs) });
      const p = client.showCommand(SOURCE).catch((e: unknown) => e);
      await vi.runAllTimersAsync();
      expect(await p).toBeInstanceOf(SmsApiError);
      expect(f.calls).toHaveLength(7);
      delays.forEach((d, i) => {
        const ceiling = Math.min(1000, 100 * 2 ** i);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(d).toBe(Math.floor(r * ceiling));
      });
    }
  });

  it('honours Retry-After (seconds), capped', async () => {
    const f = scripted([status(429, { 'retry-after': '7' }), status(503, { 'retry-after': '3600' }), ok()]);
    const delays: number[] = [];
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => 0, retry: { retries: 3, maxRetryAfterMs: 20_000 }, onRetry: (i) => delays.push(i.delayMs) });
    const p = client.showCommand(SOURCE);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(f.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls).toHaveLength(2);
    await vi.runAllTimersAsync();
    await p;
    expect(delays).toEqual([7_000, 20_000]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
    const at = new Date('2026-11-23T10:00:12Z').toUTCString(); // "Mon, 23 Nov 2026 10:00:12 GMT": 12 s from now
    const f = scripted([status(503, { 'retry-after': at }), ok()]);
    const delays: number[] = [];
    // with random 0 the backoff would wait 0 ms: only the date makes it wait
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => 0, onRetry: (i) => delays.push(i.delayMs) });
    const p = client.showCommand(SOURCE);
    await vi.advanceTimersByTimeAsync(11_999);
    expect(f.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls).toHaveLength(2);
    expect(await p).toEqual({ command_name: 'SKIP' });
    expect(delays).toEqual([12_000]);
  });

  it('does not retry 4xx other than 429', async () => {
    const f = scripted([status(400), ok()]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch });
    const p = client.showCommand(SOURCE).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await p).toMatchObject({ status: 400 });
    expect(f.calls).toHaveLength(1);
  });

  it('does not retry UpdateCommandResult unless asked', async () => {
    const body = { command_name: 'START', result: 'success', result_detail: {} } as const;
    const f = scripted([status(503), status(503), new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch });
    const p = client.updateCommandResult(SOURCE, body).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await p).toMatchObject({ status: 503 });
    expect(f.calls).toHaveLength(1);
    const asked = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, retry: { updateCommandResult: true } });
    const q = asked.updateCommandResult(SOURCE, body);
    await vi.runAllTimersAsync();
    await expect(q).resolves.toBeUndefined();
    expect(f.calls).toHaveLength(3);
  });

  it('an abort stops retries at once', async () => {
    const f = scripted([status(503)]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => 1, retry: { retries: 10, baseDelayMs: 1000 } });
    const stop = new AbortController();
    const p = client.showCommand(SOURCE, { signal: stop.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(f.calls).toHaveLength(1);
    stop.abort(new Error('stopping'));
    expect(await p).toMatchObject({ message: 'stopping' });
    await vi.runAllTimersAsync();
    expect(f.calls).toHaveLength(1);
  });

  it('times out a request that does not answer, as SmsTimeoutError, and retries it', async () => {
    const f = scripted(['hang', ok()]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, timeoutMs: 5_000, random: () => 0 });
    const p = track(client.showCommand(SOURCE));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(f.calls).toHaveLength(1);
    expect(p.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(10); // the timeout fires; the retry (0 ms backoff) answers at once
    expect(p.settled()).toBe(true);
    expect(await p.promise).toEqual({ command_name: 'SKIP' });
    expect(f.calls).toHaveLength(2);
  });

  it('gives SmsTimeoutError with the cause when retries are off; default timeout 30 s', async () => {
    const f = scripted(['hang']);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, retry: false });
    const p = track(client.showCommand(SOURCE).catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(p.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.settled()).toBe(true);
    const err = await p.promise;
    expect(err).toBeInstanceOf(SmsTimeoutError);
    expect((err as SmsTimeoutError).timeoutMs).toBe(30_000);
    expect((err as Error).cause).toBeDefined();
  });

  it('gives SmsNetworkError with the cause attached', async () => {
    const cause = new TypeError('fetch failed');
    const f = scripted([cause]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, retry: false });
    const err = await client.showCommand(SOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsNetworkError);
    expect((err as Error).cause).toBe(cause);
  });

  it('turns a non-JSON or empty error body into SmsApiError with the raw text', async () => {
    const html = scripted([status(502, { 'content-type': 'text/html' }, '<html>Bad gateway</html>')]);
    const e1 = await createSmsClient({ baseUrl: 'http://api', token: 't', fetch: html.fetch, retry: false }).showCommand(SOURCE).catch((e: unknown) => e);
    expect(e1).toMatchObject({ status: 502, errorCode: undefined, errorMsg: '<html>Bad gateway</html>', requestId: 'req-502' });
    const empty = scripted([status(500, {}, '')]);
    const e2 = await createSmsClient({ baseUrl: 'http://api', token: 't', fetch: empty.fetch, retry: false }).showCommand(SOURCE).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(SmsApiError);
    expect(e2).toMatchObject({ status: 500, errorMsg: '' });
  });

  it('sends X-Auth-Token and User-Agent', async () => {
    const f = scripted([ok()]);
    await createSmsClient({ baseUrl: 'http://api/', token: 'tok', fetch: f.fetch, userAgent: 'my-agent/1.0' }).showCommand(SOURCE);
    expect(f.calls[0]?.url).toBe('http://api/v3/sources/src-1/command');
    expect(f.calls[0]?.headers.get('x-auth-token')).toBe('tok');
    expect(f.calls[0]?.headers.get('user-agent')).toBe('my-agent/1.0');
  });
});

describe('one call', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends no User-Agent of its own when none is given', async () => {
    const f = scripted([ok()]);
    await createSmsClient({ baseUrl: 'http://api', token: 'tok', fetch: f.fetch }).showCommand(SOURCE);
    expect(f.calls[0]?.headers.get('user-agent')).toBeNull();
  });

  it('drops every trailing slash of the base URL, and only those', async () => {
    const f = scripted([ok()]);
    await createSmsClient({ baseUrl: 'http://api/base//', token: 'tok', fetch: f.fetch }).showCommand(SOURCE);
    expect(f.calls[0]?.url).toBe('http://api/base/v3/sources/src-1/command');
  });

  it('sends nothing when the caller\'s signal has already aborted, and rejects with its reason', async () => {
    const f = scripted([ok()]);
    const reason = new Error('already stopped');
    const err = await createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch }).showCommand(SOURCE, { signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(err).toBe(reason);
    expect(f.calls).toHaveLength(0);
  });

  it('aborts the request in flight when the caller aborts, and rejects with the caller\'s reason at once', async () => {
    const f = scripted(['hang']);
    const stop = new AbortController();
    const p = track(createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch }).showCommand(SOURCE, { signal: stop.signal }).catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(10);
    expect(f.calls).toHaveLength(1);
    const reason = new Error('stopping');
    stop.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(p.settled()).toBe(true);
    expect(await p.promise).toBe(reason);
    expect(f.calls[0]?.signal.aborted).toBe(true);
  });

  it('leaves no timer behind once a call has answered', async () => {
    const f = scripted([ok()]);
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch });
    await client.showCommand(SOURCE);
    await client.updateCommandResult(SOURCE, { command_name: 'START', result: 'success', result_detail: {} });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a failing token provider\'s error on, once, without retrying it', async () => {
    const f = scripted([ok()]);
    const cause = new Error('vault unreachable');
    let asked = 0;
    const client = createSmsClient({ baseUrl: 'http://api', token: async () => (asked++, Promise.reject(cause)), fetch: f.fetch, retry: { retries: 5 } });
    const err = (await client.showCommand(SOURCE).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('TokenProviderError');
    expect(err.message).toBe('the token provider failed: vault unreachable');
    expect(err.cause).toBe(cause);
    expect(asked).toBe(1);
    expect(f.calls).toHaveLength(0);
  });

  it('names the operation in retries and errors: ShowCommand and UpdateCommandResult', async () => {
    const f = scripted([status(503), status(400)]);
    const retries: RetryInfo[] = [];
    const client = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: f.fetch, random: () => 0, retry: { retries: 1, updateCommandResult: true }, onRetry: (i) => retries.push(i) });
    const shown = client.showCommand(SOURCE).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await shown).toMatchObject({ operation: 'ShowCommand', status: 400 });
    expect((await shown) as Error).toHaveProperty('message', expect.stringMatching(/^ShowCommand failed with 400/));
    const g = scripted([status(503), status(400)]);
    const client2 = createSmsClient({ baseUrl: 'http://api', token: 't', fetch: g.fetch, random: () => 0, retry: { retries: 1, updateCommandResult: true }, onRetry: (i) => retries.push(i) });
    const updated = client2.updateCommandResult(SOURCE, { command_name: 'START', result: 'success', result_detail: {} }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await updated).toMatchObject({ operation: 'UpdateCommandResult', status: 400 });
    expect(retries.map((r) => r.operation)).toEqual(['ShowCommand', 'UpdateCommandResult']);
  });
});

describe('checkServerId', () => {
  it('refuses what is not a string, even when it would print as a valid id', () => {
    expect(() => checkServerId(12345 as never)).toThrow(SmsInputError);
    expect(() => checkServerId('src-1')).not.toThrow();
  });
});

describe('parseRetryAfter', () => {
  it('reads whole seconds (spaces around allowed), an HTTP date, and nothing else', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter(' 5 ', 0)).toBe(5_000);
    expect(parseRetryAfter('5x', 0)).toBeUndefined();
    expect(parseRetryAfter('x5', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:03 GMT', 1000)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:03 GMT', 5000)).toBe(0);
  });
});

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects at once with the reason of a signal that has already aborted, starting no timer', async () => {
    const reason = new Error('stopped');
    const p = track(sleep(1000, AbortSignal.abort(reason)).catch((e: unknown) => e));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(p.settled()).toBe(true);
    expect(await p.promise).toBe(reason);
  });

  it('resolves after the time, or rejects when the signal aborts first', async () => {
    const stop = new AbortController();
    const slept = track(sleep(1000));
    const interrupted = track(sleep(1000, stop.signal).catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(999);
    expect([slept.settled(), interrupted.settled()]).toEqual([false, false]);
    stop.abort(new Error('now'));
    await vi.advanceTimersByTimeAsync(0);
    expect(interrupted.settled()).toBe(true);
    expect(await interrupted.promise).toMatchObject({ message: 'now' });
    await vi.advanceTimersByTimeAsync(1);
    expect(slept.settled()).toBe(true);
  });
});
