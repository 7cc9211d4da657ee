/**
 * The contract cases, written once for every target: each provokes one (operation, status) pair and
 * validates every response against the bundled spec. Cases needing a capability the target lacks are
 * skipped, and the skip is listed.
 */
import { call, commandPath, resultPath, type CallOptions } from '../harness/http.js';
import { contractProblems, type ObservedResponse } from '../harness/spec.js';
import type { Capability, ContractTarget, StoredReport } from './target.js';

export interface Exchange {
  operation: 'ShowCommand' | 'UpdateCommandResult';
  response: ObservedResponse;
}

export interface ContractCase {
  name: string;
  operation: 'ShowCommand' | 'UpdateCommandResult';
  status: number;
  requires?: Capability[];
  /** The case sends a request the spec forbids on purpose (a validating proxy may log it). */
  invalidRequest?: true;
  run(t: ContractTarget, io: CaseIO): Promise<void>;
}

/** What a case uses to talk to the target; every response it receives is checked and recorded. */
export interface CaseIO {
  show(serverId: string, options?: CallOptions, code?: number): Promise<ObservedResponse & { json(): any }>;
  report(serverId: string, options?: CallOptions, code?: number): Promise<ObservedResponse & { json(): any }>;
  expect(condition: boolean, message: string): void;
}

const sample = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };

/**
 * Runs `send` while `breakIt` (the target's breakBackend or breakStorage) holds; a mock has neither, and is
 * asked for the status with Prefer instead.
 */
async function whileBroken<T>(breakIt: (() => Promise<() => Promise<void>>) | undefined, send: () => Promise<T>): Promise<T> {
  const restore = breakIt ? await breakIt() : async () => {};
  try {
    return await send();
  } finally {
    await restore();
  }
}

/** Where the target can show what it stored: the report under the response's X-Request-Id equals `expected`. */
async function expectStored(t: ContractTarget, io: CaseIO, r: ObservedResponse, expected: StoredReport): Promise<void> {
  if (!t.storedReport || r.status !== 200) return;
  const requestId = r.headers.get('x-request-id') ?? '';
  const stored = await t.storedReport(t.serverId, requestId);
  const got = stored && { commandName: stored.commandName, result: stored.result, resultDetail: stored.resultDetail };
  io.expect(JSON.stringify(got) === JSON.stringify(expected), `UpdateCommandResult 200: stored ${JSON.stringify(got)} under request ${requestId}, expected ${JSON.stringify(expected)}`);
}

export const contractCases: ContractCase[] = [
  {
    name: 'ShowCommand answers a valid poll with 200 and a command or SKIP',
    operation: 'ShowCommand',
    status: 200,
    async run(t, io) {
      const r = await io.show(t.serverId, { token: t.token }, 200);
      io.expect(r.status === 200, `ShowCommand: expected 200, got ${r.status}: ${r.text.slice(0, 200)}`);
    },
  },
  {
    name: 'ShowCommand hands out queued commands oldest first, then SKIP',
    operation: 'ShowCommand',
    status: 200,
    requires: ['queue'],
    async run(t, io) {
      // drain whatever an earlier case left
      for (let i = 0; i < 50; i++) if ((await io.show(t.serverId, { token: t.token })).json().command_name === 'SKIP') break;
      await t.enqueue!(t.serverId, 'START', { taskId: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' });
      await t.enqueue!(t.serverId, 'SYNC', { taskId: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001', bucket: 'sms-logs' });
      const first = (await io.show(t.serverId, { token: t.token })).json();
      const second = (await io.show(t.serverId, { token: t.token })).json();
      const third = (await io.show(t.serverId, { token: t.token })).json();
      io.expect(first.command_name === 'START' && first.command_param?.task_id === 'xxxxxxxxxxxxxxxxxxxxxxxx00000001', `ShowCommand 200: first poll should be START with its task_id, got ${JSON.stringify(first)}`);
      io.expect(second.command_name === 'SYNC' && second.command_param?.bucket === 'sms-logs', `ShowCommand 200: second poll should be SYNC with bucket, got ${JSON.stringify(second)}`);
      io.expect(third.command_name === 'SKIP' && third.command_param === undefined, `ShowCommand 200: third poll should be SKIP without command_param, got ${JSON.stringify(third)}`);
    },
  },
  {
    name: 'ShowCommand without X-Auth-Token is 401',
    invalidRequest: true,
    operation: 'ShowCommand',
    status: 401,
    async run(t, io) {
      const r = await io.show(t.serverId, {}, 401);
      io.expect(r.status === 401, `ShowCommand: expected 401 without a token, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand with an unknown token is 401',
    operation: 'ShowCommand',
    status: 401,
    requires: ['implementation'],
    async run(t, io) {
      const r = await io.show(t.serverId, { token: 'sms_not-a-real-token' }, 401);
      io.expect(r.status === 401, `ShowCommand: expected 401 for an unknown token, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand with a token that may not act is 403',
    operation: 'ShowCommand',
    status: 403,
    requires: ['forbiddenToken'],
    async run(t, io) {
      const r = await io.show(t.serverId, { token: t.forbiddenToken ?? t.token }, 403);
      io.expect(r.status === 403, `ShowCommand: expected 403, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand with a 37-character server_id is 400',
    invalidRequest: true,
    operation: 'ShowCommand',
    status: 400,
    async run(t, io) {
      const r = await io.show('a'.repeat(37), { token: t.token }, 400);
      io.expect(r.status === 400, `ShowCommand: expected 400 for a 37-character server_id, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand for an unregistered source server is 404',
    operation: 'ShowCommand',
    status: 404,
    async run(t, io) {
      const r = await io.show(t.unregisteredServerId, { token: t.token }, 404);
      io.expect(r.status === 404, `ShowCommand: expected 404 for an unregistered source, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand when the backend fails is 500',
    operation: 'ShowCommand',
    status: 500,
    requires: ['breakBackend'],
    async run(t, io) {
      const r = await whileBroken(t.breakBackend, () => io.show(t.serverId, { token: t.token }, 500));
      io.expect(r.status === 500, `ShowCommand: expected 500 while the backend is down, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult stores the seed example and answers 200 {}',
    operation: 'UpdateCommandResult',
    status: 200,
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.token, json: sample }, 200);
      io.expect(r.status === 200, `UpdateCommandResult: expected 200, got ${r.status}: ${r.text.slice(0, 200)}`);
      await expectStored(t, io, r, { commandName: 'START', result: 'success', resultDetail: { msg: 'xxx' } });
    },
  },
  {
    name: 'UpdateCommandResult accepts result_detail as a string of JSON (the SDK samples)',
    operation: 'UpdateCommandResult',
    status: 200,
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.token, json: { ...sample, result_detail: '{"msg":"xxx"}' } }, 200);
      io.expect(r.status === 200, `UpdateCommandResult: expected 200 for a string result_detail, got ${r.status}: ${r.text.slice(0, 200)}`);
      // stored as the object the string holds, not as the string
      await expectStored(t, io, r, { commandName: 'START', result: 'success', resultDetail: { msg: 'xxx' } });
    },
  },
  {
    name: 'UpdateCommandResult with result "SUCCESS" is 400',
    invalidRequest: true,
    operation: 'UpdateCommandResult',
    status: 400,
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.token, json: { ...sample, result: 'SUCCESS' } }, 400);
      io.expect(r.status === 400, `UpdateCommandResult: expected 400 for result SUCCESS, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult with malformed JSON is 400',
    operation: 'UpdateCommandResult',
    status: 400,
    invalidRequest: true,
    requires: ['implementation'],
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.token, body: '{"command_name": "START",', headers: { 'Content-Type': 'application/json' } }, 400);
      io.expect(r.status === 400, `UpdateCommandResult: expected 400 for malformed JSON, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult without X-Auth-Token is 401',
    invalidRequest: true,
    operation: 'UpdateCommandResult',
    status: 401,
    async run(t, io) {
      const r = await io.report(t.serverId, { json: sample }, 401);
      io.expect(r.status === 401, `UpdateCommandResult: expected 401 without a token, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult with a token that may not act is 403',
    operation: 'UpdateCommandResult',
    status: 403,
    requires: ['forbiddenToken'],
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.forbiddenToken ?? t.token, json: sample }, 403);
      io.expect(r.status === 403, `UpdateCommandResult: expected 403, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult for an unregistered source server is 404',
    operation: 'UpdateCommandResult',
    status: 404,
    async run(t, io) {
      const r = await io.report(t.unregisteredServerId, { token: t.token, json: sample }, 404);
      io.expect(r.status === 404, `UpdateCommandResult: expected 404 for an unregistered source, got ${r.status}`);
    },
  },
  {
    name: 'UpdateCommandResult when the backend fails is 500',
    operation: 'UpdateCommandResult',
    status: 500,
    requires: ['breakBackend'],
    async run(t, io) {
      const r = await whileBroken(t.breakBackend, () => io.report(t.serverId, { token: t.token, json: sample }, 500));
      io.expect(r.status === 500, `UpdateCommandResult: expected 500 while the backend is down, got ${r.status}`);
    },
  },
  {
    name: 'ShowCommand with a command to hand out, while the database cannot keep writes, is 503 and the command is kept',
    operation: 'ShowCommand',
    status: 503,
    requires: ['breakStorage'],
    async run(t, io) {
      if (t.enqueue) {
        for (let i = 0; i < 50; i++) if ((await io.show(t.serverId, { token: t.token })).json().command_name === 'SKIP') break;
        await t.enqueue(t.serverId, 'STOP', { taskId: 'xxxxxxxxxxxxxxxxxxxxxxxx00000503' });
      }
      const r = await whileBroken(t.breakStorage, () => io.show(t.serverId, { token: t.token }, 503));
      io.expect(r.status === 503, `ShowCommand: expected 503 while the database refuses writes, got ${r.status}`);
      if (t.enqueue) {
        const after = (await io.show(t.serverId, { token: t.token })).json();
        io.expect(after.command_param?.task_id === 'xxxxxxxxxxxxxxxxxxxxxxxx00000503', `ShowCommand: the command refused with 503 must be handed out later, got ${JSON.stringify(after)}`);
      }
    },
  },
  {
    name: 'UpdateCommandResult while the database cannot keep writes is 503 and nothing is stored',
    operation: 'UpdateCommandResult',
    status: 503,
    requires: ['breakStorage'],
    async run(t, io) {
      const r = await whileBroken(t.breakStorage, () => io.report(t.serverId, { token: t.token, json: sample }, 503));
      io.expect(r.status === 503, `UpdateCommandResult: expected 503 while the database refuses writes, got ${r.status}`);
      if (t.storedReport && r.status === 503) {
        const stored = await t.storedReport(t.serverId, r.headers.get('x-request-id') ?? '');
        io.expect(stored === undefined, `UpdateCommandResult 503: a refused report must not be stored, found ${JSON.stringify(stored)}`);
      }
    },
  },
];

export interface CaseOutcome {
  name: string;
  skipped?: string;
  problems: string[];
  exchanges: Exchange[];
}

/** Runs one case against a target: every response validated; the outcome lists readable problems. */
export async function runCase(c: ContractCase, t: ContractTarget): Promise<CaseOutcome> {
  const missing = (c.requires ?? []).filter((cap) => {
    if (cap === 'forbiddenToken') return !t.forbiddenToken && !t.prefersCode;
    if (cap === 'breakBackend') return !t.breakBackend && !t.prefersCode;
    if (cap === 'breakStorage') return !t.breakStorage && !t.prefersCode;
    if (cap === 'implementation') return Boolean(t.prefersCode);
    return !t.enqueue;
  });
  if (missing.length > 0) return { name: c.name, skipped: `target ${t.name} lacks ${missing.join(', ')}`, problems: [], exchanges: [] };
  const excluded = t.notApplicable?.find((n) => n.case.test(c.name));
  if (excluded) return { name: c.name, skipped: `not applicable to ${t.name}: ${excluded.reason}`, problems: [], exchanges: [] };
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  const send = (operation: Exchange['operation'], method: string, path: string) => async (options: CallOptions = {}, code?: number) => {
    const headers = { ...options.headers };
    if (t.prefersCode && code !== undefined) headers.Prefer = `code=${code}`;
    const r = await call(t.baseUrl, method, path, { ...options, headers });
    exchanges.push({ operation, response: r });
    problems.push(...contractProblems(operation, r));
    return r;
  };
  const io: CaseIO = {
    show: (serverId, options, code) => send('ShowCommand', 'GET', commandPath(serverId))(options, code),
    report: (serverId, options, code) => send('UpdateCommandResult', 'POST', resultPath(serverId))(options, code),
    expect: (condition, message) => {
      if (!condition) problems.push(message);
    },
  };
  try {
    await c.run(t, io);
  } catch (err) {
    problems.push(`${c.operation}: ${(err as Error).message}`);
  }
  if (t.violations) {
    for (const line of await t.violations()) {
      if (/Violation: response/.test(line) || !c.invalidRequest) problems.push(`${c.operation} ${c.status}: validating proxy logged: ${line}`);
    }
  }
  return { name: c.name, problems, exchanges };
}
