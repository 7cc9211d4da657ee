/**
 * The admin contract's cases: every operation behind the admin token (401 without one, 403 with an Agent
 * token), its request validation (400), its failures (500, and 503 for writes), and what each operation
 * does, seen through both contracts: a command queued over the admin API is what ShowCommand hands out,
 * the report the Agent sends is what ListResults shows, a token issued over it polls, and so on. Every
 * case needs an admin token (capability `admin`); each registers source servers of its own.
 */
import { randomBytes } from 'node:crypto';
import { routes as adminRoutes } from '../generated/admin/routes.js';
import { whileBroken, type AdminOperationId, type AdminRequest, type CaseIO, type ContractCase } from './case.js';
import type { ContractTarget } from './target.js';

const ADMIN_OPERATIONS = Object.keys(adminRoutes) as AdminOperationId[];
const WRITES = ADMIN_OPERATIONS.filter((id) => adminRoutes[id].method !== 'get');

/** A well-formed source server ID no one else uses (at most 36 characters). */
const freshSourceId = (): string => `contract-${randomBytes(6).toString('hex')}`;

/** A valid request for each admin operation, on the target's source server (its outcome past auth does not matter to the callers). */
function sampleRequest(id: AdminOperationId, t: ContractTarget): AdminRequest {
  const serverId = t.serverId;
  switch (id) {
    case 'CreateSource':
      return { json: { server_id: freshSourceId() } };
    case 'CreateCommand':
      return { params: { server_id: serverId }, json: { command_name: 'SYNC' } };
    case 'CancelCommand':
      return { params: { server_id: serverId, command_id: 1 } };
    case 'CreateToken':
      return { json: { name: 'contract' } };
    case 'RevokeToken':
      return { params: { token_id: 'tok_contract' } };
    case 'CreateAccessKey':
      return { json: { name: 'contract' } };
    case 'RevokeAccessKey':
      return { params: { access_key: 'AKSMSCONTRACT' } };
    case 'ListSources':
    case 'ListTokens':
    case 'ListAccessKeys':
      return {};
    default:
      return { params: { server_id: serverId } };
  }
}

/** Sends every operation in `ids`, changed by `change`, and expects `status` from each. */
async function everyOperation(t: ContractTarget, io: CaseIO, ids: AdminOperationId[], status: number, change: (r: AdminRequest) => AdminRequest, what: string): Promise<void> {
  for (const id of ids) {
    const r = await io.admin(id, change(sampleRequest(id, t)), status);
    io.expect(r.status === status, `${id}: expected ${status} ${what}, got ${r.status}: ${r.text.slice(0, 200)}`);
  }
}

/** Registers a fresh source server over the admin API and returns its ID. */
async function registered(io: CaseIO): Promise<string> {
  const serverId = freshSourceId();
  const r = await io.admin('CreateSource', { json: { server_id: serverId, name: 'contract' } }, 201);
  io.expect(r.status === 201, `CreateSource: expected 201 for ${serverId}, got ${r.status}: ${r.text.slice(0, 200)}`);
  return serverId;
}

const admin: ContractCase['requires'] = ['admin'];

export const adminContractCases: ContractCase[] = [
  {
    name: 'every admin operation without X-Auth-Token is 401',
    operation: 'ListSources',
    status: 401,
    requires: admin,
    invalidRequest: true,
    run: (t, io) => everyOperation(t, io, ADMIN_OPERATIONS, 401, (r) => ({ ...r, token: null }), 'without a token'),
  },
  {
    name: 'every admin operation with an unknown token is 401',
    operation: 'ListSources',
    status: 401,
    requires: admin,
    run: (t, io) => everyOperation(t, io, ADMIN_OPERATIONS, 401, (r) => ({ ...r, token: 'sms_not-a-real-token' }), 'for an unknown token'),
  },
  {
    name: 'every admin operation with an Agent token is 403 (an Agent token is not an admin token)',
    operation: 'ListSources',
    status: 403,
    requires: admin,
    run: (t, io) => everyOperation(t, io, ADMIN_OPERATIONS, 403, (r) => ({ ...r, token: t.token }), 'for an Agent token'),
  },
  {
    name: 'an admin token is not an Agent token: ShowCommand and UpdateCommandResult answer it 403',
    operation: 'ShowCommand',
    status: 403,
    requires: admin,
    async run(t, io) {
      const poll = await io.show(t.serverId, { token: t.adminToken as string });
      const report = await io.report(t.serverId, { token: t.adminToken as string, json: { command_name: 'START', result: 'success', result_detail: {} } });
      io.expect(poll.status === 403 && report.status === 403, `Agent operations with an admin token: expected 403 and 403, got ${poll.status} and ${report.status}`);
    },
  },
  {
    name: 'every admin operation with an unknown query parameter is 400',
    operation: 'ListSources',
    status: 400,
    requires: admin,
    invalidRequest: true,
    run: (t, io) => everyOperation(t, io, ADMIN_OPERATIONS, 400, (r) => ({ ...r, query: { ...r.query, unknown: 1 } }), 'for an unknown query parameter'),
  },
  {
    name: 'every admin operation when the backend fails is 500',
    operation: 'ListSources',
    status: 500,
    requires: ['admin', 'breakBackend'],
    run: (t, io) => whileBroken(t.breakBackend, () => everyOperation(t, io, ADMIN_OPERATIONS, 500, (r) => r, 'while the backend is down')),
  },
  {
    name: 'every writing admin operation while the database cannot keep writes is 503',
    operation: 'CreateSource',
    status: 503,
    requires: ['admin', 'breakStorage'],
    async run(t, io) {
      const token = (await io.admin('CreateToken', { json: { name: 'contract-503' } })).json().token_id as string;
      const key = (await io.admin('CreateAccessKey', { json: { name: 'contract-503' } })).json().access_key as string;
      const queued = (await io.admin('CreateCommand', { params: { server_id: t.serverId }, json: { command_name: 'DELETE' } })).json().command_id as number;
      const requests: Partial<Record<AdminOperationId, AdminRequest>> = {
        CancelCommand: { params: { server_id: t.serverId, command_id: queued } },
        RevokeToken: { params: { token_id: token } },
        RevokeAccessKey: { params: { access_key: key } },
      };
      await whileBroken(t.breakStorage, () => everyOperation(t, io, WRITES, 503, (r) => r, 'while the database refuses writes').then(async () => {
        for (const [id, request] of Object.entries(requests) as Array<[AdminOperationId, AdminRequest]>) {
          const r = await io.admin(id, request, 503);
          io.expect(r.status === 503, `${id}: expected 503 while the database refuses writes, got ${r.status}`);
        }
      }));
      const kept = await io.admin('ListCommands', { params: { server_id: t.serverId }, query: { state: 'pending' } });
      io.expect(kept.json().commands.some((c: { command_id: number }) => c.command_id === queued), `CancelCommand 503: command ${queued} must still be pending, got ${kept.text.slice(0, 300)}`);
      await io.admin('CancelCommand', requests.CancelCommand);
    },
  },
  {
    name: 'CreateSource registers a source server (201), ShowSource shows it (200), registering it again is 409',
    operation: 'CreateSource',
    status: 201,
    requires: admin,
    async run(_t, io) {
      const serverId = freshSourceId();
      const created = await io.admin('CreateSource', { json: { server_id: serverId, name: 'web-01' } }, 201);
      io.expect(created.status === 201, `CreateSource: expected 201, got ${created.status}: ${created.text.slice(0, 200)}`);
      const shown = await io.admin('ShowSource', { params: { server_id: serverId } }, 200);
      const body = shown.json();
      io.expect(
        shown.status === 200 && body.server_id === serverId && body.name === 'web-01' && body.last_poll_at === null && body.last_report_at === null && body.held_command === null,
        `ShowSource: expected the new source server with no liveness yet, got ${shown.status}: ${shown.text.slice(0, 300)}`,
      );
      const again = await io.admin('CreateSource', { json: { server_id: serverId } }, 409);
      io.expect(again.status === 409 && again.json().error_code === 'SMS.2010', `CreateSource again: expected 409 SMS.2010, got ${again.status}: ${again.text.slice(0, 200)}`);
    },
  },
  {
    name: 'CreateSource with a server_id the Agent could not use, or malformed JSON, is 400',
    operation: 'CreateSource',
    status: 400,
    requires: ['admin', 'implementation'],
    invalidRequest: true,
    async run(_t, io) {
      const bad = await io.admin('CreateSource', { json: { server_id: 'has a space' } }, 400);
      const long = await io.admin('CreateSource', { json: { server_id: 'x'.repeat(37) } }, 400);
      const malformed = await io.admin('CreateSource', { body: '{"server_id": ', headers: { 'Content-Type': 'application/json' } }, 400);
      io.expect(
        [bad.status, long.status, malformed.status, malformed.json().error_code].join() === '400,400,400,SMS.2003',
        `CreateSource: expected 400, 400, 400 SMS.2003, got ${bad.status}, ${long.status}, ${malformed.status} ${malformed.text.slice(0, 200)}`,
      );
    },
  },
  {
    name: 'ShowSource, ListCommands, CreateCommand and ListResults of an unregistered source server are 404',
    operation: 'ShowSource',
    status: 404,
    requires: admin,
    async run(t, io) {
      const params = { server_id: t.unregisteredServerId };
      for (const [id, request] of [
        ['ShowSource', { params }],
        ['ListCommands', { params }],
        ['CreateCommand', { params, json: { command_name: 'START' } }],
        ['ListResults', { params }],
      ] as Array<[AdminOperationId, AdminRequest]>) {
        const r = await io.admin(id, request, 404);
        io.expect(r.status === 404 && r.json().error_code === 'SMS.2006', `${id}: expected 404 SMS.2006 for an unregistered source server, got ${r.status}: ${r.text.slice(0, 200)}`);
      }
    },
  },
  {
    name: 'ListSources pages through every source server by server_id, each once',
    operation: 'ListSources',
    status: 200,
    requires: admin,
    async run(_t, io) {
      const mine = [await registered(io), await registered(io), await registered(io)];
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const r = await io.admin('ListSources', { query: { limit: 2, ...(cursor ? { cursor } : {}) } }, 200);
        const page = r.json() as { sources: Array<{ server_id: string }>; next_cursor: string | null };
        io.expect(r.status === 200 && page.sources.length <= 2, `ListSources: expected a page of at most 2, got ${r.status}: ${r.text.slice(0, 200)}`);
        seen.push(...page.sources.map((s) => s.server_id));
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      io.expect(new Set(seen).size === seen.length && seen.join() === [...seen].sort().join(), `ListSources: pages must list each source server once, by server_id: ${seen.join(', ')}`);
      io.expect(mine.every((id) => seen.includes(id)), `ListSources: ${mine.join(', ')} missing from ${seen.join(', ')}`);
      const bad = await io.admin('ListSources', { query: { cursor: 'bm90LWEtY3Vyc29y' } }, 400);
      io.expect(bad.status === 400 && bad.json().error_code === 'SMS.2001', `ListSources with a cursor it did not give out: expected 400, got ${bad.status}`);
    },
  },
  {
    name: "a command queued with CreateCommand (201) is what ShowCommand hands out; ShowSource shows it held, then the report; ListCommands and ListResults show both",
    operation: 'CreateCommand',
    status: 201,
    requires: admin,
    async run(t, io) {
      const serverId = await registered(io);
      const queued = await io.admin('CreateCommand', { params: { server_id: serverId }, json: { command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } } }, 201);
      const command = queued.json();
      io.expect(queued.status === 201 && command.state === 'pending' && command.deliveries === 0, `CreateCommand: expected 201 pending, got ${queued.status}: ${queued.text.slice(0, 200)}`);
      const polled = (await io.show(serverId, { token: t.token })).json();
      io.expect(polled.command_name === 'START' && polled.command_param?.task_id === 'xxxxxxxxxxxxxxxxxxxxxxxx00000001', `ShowCommand: expected the queued START, got ${JSON.stringify(polled)}`);
      const held = (await io.admin('ShowSource', { params: { server_id: serverId } }, 200)).json();
      io.expect(held.held_command?.command_id === command.command_id && held.held_command?.command_name === 'START', `ShowSource: expected START held, got ${JSON.stringify(held)}`);
      const report = await io.report(serverId, { token: t.token, json: { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } } });
      io.expect(report.status === 200, `UpdateCommandResult: expected 200, got ${report.status}`);
      const after = (await io.admin('ShowSource', { params: { server_id: serverId } }, 200)).json();
      io.expect(after.held_command === null && typeof after.last_report_at === 'string' && typeof after.last_poll_at === 'string', `ShowSource after the report: expected nothing held, a report and a poll time, got ${JSON.stringify(after)}`);
      const listed = (await io.admin('ListCommands', { params: { server_id: serverId } }, 200)).json();
      io.expect(listed.commands.length === 1 && listed.commands[0].state === 'done' && listed.commands[0].deliveries === 1 && listed.next_cursor === null, `ListCommands: expected the command done, got ${JSON.stringify(listed)}`);
      const results = (await io.admin('ListResults', { params: { server_id: serverId } }, 200)).json();
      const [stored] = results.results;
      io.expect(
        results.results.length === 1 && stored.command_id === command.command_id && stored.result_detail?.msg === 'xxx' && stored.request_id === report.headers.get('x-request-id') && listed.commands[0].result_id === stored.result_id,
        `ListResults: expected the report that completed the command, got ${JSON.stringify(results)}`,
      );
    },
  },
  {
    name: 'CreateCommand with SKIP (never queued) or an unknown command_param field is 400',
    operation: 'CreateCommand',
    status: 400,
    requires: admin,
    invalidRequest: true,
    async run(t, io) {
      const skip = await io.admin('CreateCommand', { params: { server_id: t.serverId }, json: { command_name: 'SKIP' } }, 400);
      const extra = await io.admin('CreateCommand', { params: { server_id: t.serverId }, json: { command_name: 'STOP', command_param: { force: true } } }, 400);
      io.expect(skip.status === 400 && extra.status === 400, `CreateCommand: expected 400 and 400, got ${skip.status} and ${extra.status}`);
    },
  },
  {
    name: 'CancelCommand cancels a pending command (200) that is then never handed out; cancelling it again, or a leased one, is 409; an unknown one is 404',
    operation: 'CancelCommand',
    status: 200,
    requires: admin,
    async run(t, io) {
      const serverId = await registered(io);
      const queue = async (command_name: string) =>
        (await io.admin('CreateCommand', { params: { server_id: serverId }, json: { command_name } })).json().command_id as number;
      const start = await queue('START');
      const sync = await queue('SYNC');
      const cancelled = await io.admin('CancelCommand', { params: { server_id: serverId, command_id: sync } }, 200);
      io.expect(cancelled.status === 200 && cancelled.json().state === 'cancelled' && typeof cancelled.json().cancelled_at === 'string', `CancelCommand: expected 200 cancelled, got ${cancelled.status}: ${cancelled.text.slice(0, 200)}`);
      const first = (await io.show(serverId, { token: t.token })).json();
      const second = (await io.show(serverId, { token: t.token })).json();
      io.expect(first.command_name === 'START' && second.command_name === 'SKIP', `ShowCommand after cancelling SYNC: expected START then SKIP, got ${first.command_name} then ${second.command_name}`);
      const again = await io.admin('CancelCommand', { params: { server_id: serverId, command_id: sync } }, 409);
      const leased = await io.admin('CancelCommand', { params: { server_id: serverId, command_id: start } }, 409);
      io.expect(
        again.status === 409 && again.json().error_code === 'SMS.2016' && leased.status === 409 && /leased/.test(leased.json().error_msg),
        `CancelCommand of a cancelled and of a leased command: expected 409 SMS.2016 twice, got ${again.status} ${again.text.slice(0, 120)} and ${leased.status} ${leased.text.slice(0, 120)}`,
      );
      const unknown = await io.admin('CancelCommand', { params: { server_id: serverId, command_id: 999_999_999 } }, 404);
      io.expect(unknown.status === 404 && unknown.json().error_code === 'SMS.2015', `CancelCommand of an unknown command: expected 404 SMS.2015, got ${unknown.status} ${unknown.text.slice(0, 120)}`);
    },
  },
  {
    name: 'CancelCommand with a command_id that is not a whole number from 1 is 400',
    operation: 'CancelCommand',
    status: 400,
    requires: admin,
    invalidRequest: true,
    async run(t, io) {
      const notNumber = await io.admin('CancelCommand', { params: { server_id: t.serverId, command_id: 'first' } }, 400);
      const zero = await io.admin('CancelCommand', { params: { server_id: t.serverId, command_id: 0 } }, 400);
      io.expect(notNumber.status === 400 && zero.status === 400, `CancelCommand: expected 400 and 400, got ${notNumber.status} ${notNumber.text.slice(0, 120)} and ${zero.status} ${zero.text.slice(0, 120)}`);
    },
  },
  {
    name: 'ListResults reads result_detail back as sent: an object, the object a string of JSON holds, or any other string',
    operation: 'ListResults',
    status: 200,
    requires: admin,
    async run(t, io) {
      const serverId = await registered(io);
      const sent = [{ msg: 'xxx' }, '{"msg":"from the SDK"}', 'rsync: 3 files', '[1,2]'];
      for (const detail of sent) await io.report(serverId, { token: t.token, json: { command_name: 'UPLOAD_LOG', result: 'success', result_detail: detail } }, 200);
      const listed = (await io.admin('ListResults', { params: { server_id: serverId } }, 200)).json();
      const got = JSON.stringify(listed.results.map((r: { result_detail: unknown }) => r.result_detail).reverse());
      const expected = JSON.stringify([{ msg: 'xxx' }, { msg: 'from the SDK' }, 'rsync: 3 files', '[1,2]']);
      io.expect(got === expected, `ListResults: expected result_detail ${expected} (oldest first), got ${got}`);
    },
  },
  {
    name: 'ListResults pages newest first through every report, each once',
    operation: 'ListResults',
    status: 200,
    requires: admin,
    async run(t, io) {
      const serverId = await registered(io);
      for (let i = 1; i <= 5; i++) await io.report(serverId, { token: t.token, json: { command_name: 'UPLOAD_LOG', result: 'success', result_detail: { n: i } } });
      const seen: number[] = [];
      let cursor = null as string | null;
      do {
        const page = (await io.admin('ListResults', { params: { server_id: serverId }, query: { limit: 2, ...(cursor ? { cursor } : {}) } }, 200)).json();
        seen.push(...page.results.map((r: { result_detail: { n: number } }) => r.result_detail.n));
        cursor = page.next_cursor;
      } while (cursor && seen.length < 50);
      io.expect(seen.join() === '5,4,3,2,1', `ListResults: expected reports 5,4,3,2,1 (newest first, each once), got ${seen.join()}`);
      const foreign = await io.admin('ListSources', { query: { limit: 1 } });
      const sourcesCursor = foreign.json().next_cursor as string | null;
      if (sourcesCursor) {
        const wrongList = await io.admin('ListResults', { params: { server_id: serverId }, query: { cursor: sourcesCursor } }, 400);
        io.expect(wrongList.status === 400, `ListResults with a ListSources cursor: expected 400, got ${wrongList.status}`);
      }
    },
  },
  {
    name: 'CreateToken issues an Agent token (201) that polls its source server and no other, ListTokens never shows a secret, RevokeToken (200) ends it',
    operation: 'CreateToken',
    status: 201,
    requires: ['admin', 'implementation'],
    async run(t, io) {
      const serverId = await registered(io);
      const issued = await io.admin('CreateToken', { json: { name: 'agent-contract', sources: [serverId], actions: ['sms:server:getCommand'], expires_in_seconds: 3600 } }, 201);
      const token = issued.json();
      io.expect(issued.status === 201 && token.kind === 'agent' && token.status === 'active' && typeof token.token === 'string', `CreateToken: expected 201 with the secret, got ${issued.status}: ${issued.text.slice(0, 200)}`);
      const own = await io.show(serverId, { token: token.token });
      const other = await io.show(t.serverId, { token: token.token });
      const report = await io.report(serverId, { token: token.token, json: { command_name: 'START', result: 'fail', result_detail: {} } });
      io.expect([own.status, other.status, report.status].join() === '200,403,403', `the issued token: expected 200 on its source, 403 on another and 403 for a report (no such action), got ${own.status}, ${other.status}, ${report.status}`);
      const listed = await io.admin('ListTokens', {}, 200);
      io.expect(listed.status === 200 && listed.json().tokens.some((x: { token_id: string }) => x.token_id === token.token_id) && !listed.text.includes(token.token), 'ListTokens: expected the new token listed, and no secret');
      const revoked = await io.admin('RevokeToken', { params: { token_id: token.token_id } }, 200);
      io.expect(revoked.status === 200 && revoked.json().status === 'revoked', `RevokeToken: expected 200 revoked, got ${revoked.status}: ${revoked.text.slice(0, 200)}`);
      let after = 0;
      for (let i = 0; i < 50 && after !== 401; i++) {
        after = (await io.show(serverId, { token: token.token })).status;
        if (after !== 401) await new Promise((r) => setTimeout(r, 20));
      }
      io.expect(after === 401, `a revoked token: expected 401 within a second, got ${after}`);
      const adminToken = (await io.admin('CreateToken', { json: { name: 'orchestrator', kind: 'admin' } }, 201)).json();
      const usable = await io.admin('ListTokens', { token: adminToken.token });
      io.expect(adminToken.kind === 'admin' && adminToken.sources === null && adminToken.actions.length === 0 && usable.status === 200, `an admin token issued over the API: expected it to use the admin API, got ${usable.status}`);
      await io.admin('RevokeToken', { params: { token_id: adminToken.token_id } });
    },
  },
  {
    name: 'CreateAccessKey issues an access key (201) whose SK is shown once, ListAccessKeys never shows an SK, RevokeAccessKey (200) ends it',
    operation: 'CreateAccessKey',
    status: 201,
    requires: admin,
    async run(t, io) {
      const issued = await io.admin('CreateAccessKey', { json: { name: 'agent-contract', sources: [t.serverId], actions: ['sms:server:getCommand'], expires_in_seconds: 3600 } }, 201);
      const key = issued.json();
      io.expect(issued.status === 201 && key.status === 'active' && typeof key.secret_key === 'string' && key.sources?.[0] === t.serverId, `CreateAccessKey: expected 201 with the SK, got ${issued.status}: ${issued.text.slice(0, 200)}`);
      const listed = await io.admin('ListAccessKeys', {}, 200);
      io.expect(listed.status === 200 && listed.json().access_keys.some((k: { access_key: string }) => k.access_key === key.access_key) && !listed.text.includes(key.secret_key), 'ListAccessKeys: expected the new key listed, and no SK');
      const revoked = await io.admin('RevokeAccessKey', { params: { access_key: key.access_key } }, 200);
      io.expect(revoked.status === 200 && revoked.json().status === 'revoked' && !revoked.text.includes(key.secret_key), `RevokeAccessKey: expected 200 revoked, got ${revoked.status}: ${revoked.text.slice(0, 200)}`);
    },
  },
  {
    name: 'CreateAccessKey for an unregistered source server is 404; RevokeAccessKey of an unknown access key is 404',
    operation: 'CreateAccessKey',
    status: 404,
    requires: admin,
    async run(t, io) {
      const unknownSource = await io.admin('CreateAccessKey', { json: { name: 'x', sources: [t.unregisteredServerId] } }, 404);
      const unknownKey = await io.admin('RevokeAccessKey', { params: { access_key: 'AKSMSNOSUCHKEY000000' } }, 404);
      io.expect(
        [unknownSource.status, unknownSource.json().error_code, unknownKey.status, unknownKey.json().error_code].join() === '404,SMS.2006,404,SMS.2017',
        `expected 404 SMS.2006, 404 SMS.2017, got ${unknownSource.status} ${unknownSource.text.slice(0, 120)}, ${unknownKey.status} ${unknownKey.text.slice(0, 120)}`,
      );
    },
  },
  {
    name: 'CreateToken for an unregistered source server is 404, an admin token with sources is 400; RevokeToken of an unknown token is 404',
    operation: 'CreateToken',
    status: 404,
    requires: admin,
    async run(t, io) {
      const unknownSource = await io.admin('CreateToken', { json: { name: 'x', sources: [t.unregisteredServerId] } }, 404);
      const adminWithSources = await io.admin('CreateToken', { json: { name: 'x', kind: 'admin', sources: [t.serverId] } }, 400);
      const unknownToken = await io.admin('RevokeToken', { params: { token_id: 'tok_000000000000' } }, 404);
      io.expect(
        [unknownSource.status, adminWithSources.status, unknownToken.status, unknownToken.json().error_code].join() === '404,400,404,SMS.2011',
        `expected 404, 400, 404 SMS.2011, got ${unknownSource.status}, ${adminWithSources.status}, ${unknownToken.status} ${unknownToken.text.slice(0, 120)}`,
      );
    },
  },
];
