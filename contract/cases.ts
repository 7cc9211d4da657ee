/**
 * The contract cases, written once for every target: each provokes one (operation, status) pair and
 * validates every response against the bundled contracts. The Agent contract's cases are here; the
 * admin contract's are in adminCases.ts.
 */
import { adminContractCases } from './adminCases.js';
import { expectStored, whileBroken, type ContractCase } from './case.js';

export { runCase, type CaseOutcome, type ContractCase, type Exchange } from './case.js';

const sample = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };

const agentContractCases: ContractCase[] = [
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
    name: 'UpdateCommandResult stores any other result_detail string as that string',
    operation: 'UpdateCommandResult',
    status: 200,
    async run(t, io) {
      const r = await io.report(t.serverId, { token: t.token, json: { ...sample, result_detail: 'rsync: 3 files' } }, 200);
      io.expect(r.status === 200, `UpdateCommandResult: expected 200 for a result_detail string that holds no JSON object, got ${r.status}: ${r.text.slice(0, 200)}`);
      await expectStored(t, io, r, { commandName: 'START', result: 'success', resultDetail: 'rsync: 3 files' });
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

/** Every case of both contracts. */
export const contractCases: ContractCase[] = [...agentContractCases, ...adminContractCases];
