/**
 * Type-level tests, checked by `tsc` in `npm run typecheck` (each @ts-expect-error must be an error, or the
 * typecheck fails) and by vitest's expectTypeOf: the generated types and the generated handler interfaces
 * (generated/routes.ts, generated/admin/routes.ts) that createApp mounts.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Handlers as AdminContractHandlers, Requests as AdminRequests, Responses as AdminResponses } from '../../generated/admin/routes.js';
import type { Handlers, Requests, Responses } from '../../generated/routes.js';
import type { components, operations } from '../../generated/schema.js';
import type { AdminHandlers } from '../../server/admin/handlers.js';
import type { AgentHandlers } from '../../server/agent/handlers.js';
import type { RequestContext } from '../../server/mountRoutes.js';

type CommandBody = components['schemas']['CommandBody'];
/** A 200 answer, at once or later (a handler may answer synchronously: the idle poll from the read cache). */
type Ok<B> = { status: 200; body: B } | Promise<{ status: 200; body: B }>;

describe('generated types', () => {
  it('accept the seeds example report and reject result "SUCCESS"', () => {
    const seed: CommandBody = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };
    expectTypeOf(seed).toEqualTypeOf<CommandBody>();
    // @ts-expect-error the spec's enum is lower case: success | fail
    const wrong: CommandBody = { command_name: 'START', result: 'SUCCESS', result_detail: {} };
    // @ts-expect-error RESET is not a reported command name (the seeds spell it RSET_LOG_ACL)
    const misspelt: CommandBody = { command_name: 'RESET_LOG_ACL', result: 'fail', result_detail: {} };
    // @ts-expect-error result_detail is required
    const missing: CommandBody = { command_name: 'START', result: 'fail' };
    void wrong;
    void misspelt;
    void missing;
    expectTypeOf<Requests['UpdateCommandResult']['body']>().toEqualTypeOf<CommandBody>();
  });

  it('type the ShowCommand 200 body after the seed example', () => {
    const seed: Responses['ShowCommand']['body'] = { command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } };
    expectTypeOf(seed.command_name).toEqualTypeOf<'START' | 'STOP' | 'DELETE' | 'SYNC' | 'SKIP'>();
    expectTypeOf<operations['ShowCommand']['parameters']['path']>().toEqualTypeOf<{ server_id: string }>();
    expectTypeOf<Requests['ShowCommand']['params']>().toEqualTypeOf<{ server_id: string }>();
  });
});

describe('the generated server stubs', () => {
  const skip = async () => ({ status: 200 as const, body: { command_name: 'SKIP' as const } });
  const stored = async () => ({ status: 200 as const, body: {} });

  it('need a handler for every Agent operation, and for nothing else', () => {
    const complete: Handlers<RequestContext> = { ShowCommand: skip, UpdateCommandResult: stored };
    // @ts-expect-error UpdateCommandResult has no handler
    const lacking: Handlers<RequestContext> = { ShowCommand: skip };
    // @ts-expect-error the spec has no RebootServer operation
    const extra: Handlers<RequestContext> = { ShowCommand: skip, UpdateCommandResult: stored, RebootServer: stored };
    expectTypeOf<AgentHandlers>().toEqualTypeOf<Handlers<RequestContext>>();
    void [complete, lacking, extra];
  });

  it('do not compile a handler that answers a status or body the spec does not document', () => {
    type Show = AgentHandlers['ShowCommand'];
    const good: Show = skip;
    // @ts-expect-error REBOOT is not a command the spec allows
    const badName: Show = async () => ({ status: 200, body: { command_name: 'REBOOT' } });
    // @ts-expect-error command_name is required in the 200 body
    const missing: Show = async () => ({ status: 200, body: { command_param: { task_id: 't' } } });
    // @ts-expect-error ShowCommand documents no 201
    const created: Show = async () => ({ status: 201, body: { command_name: 'SKIP' } });
    // @ts-expect-error the 200 body of UpdateCommandResult is an empty object
    const extra: AgentHandlers['UpdateCommandResult'] = async () => ({ status: 200, body: { ok: true } });
    const reads: AgentHandlers['UpdateCommandResult'] = async ({ body, params, rawBody }) => {
      expectTypeOf(body.result).toEqualTypeOf<'success' | 'fail'>();
      expectTypeOf(params.server_id).toEqualTypeOf<string>();
      expectTypeOf(rawBody).toEqualTypeOf<string | undefined>();
      return { status: 200, body: {} };
    };
    expectTypeOf<ReturnType<Show>>().toEqualTypeOf<Ok<components['schemas']['Command']>>();
    void [good, badName, missing, created, extra, reads];
  });

  it('type the admin contract the same way: its success statuses, params, query and bodies', () => {
    expectTypeOf<AdminHandlers>().toEqualTypeOf<AdminContractHandlers<RequestContext>>();
    expectTypeOf<AdminResponses['CreateSource']['status']>().toEqualTypeOf<201>();
    expectTypeOf<AdminResponses['CancelCommand']['status']>().toEqualTypeOf<200>();
    expectTypeOf<AdminRequests['CancelCommand']['params']>().toEqualTypeOf<{ server_id: string; command_id: number }>();
    expectTypeOf<AdminRequests['ListResults']['query']>().toEqualTypeOf<{ limit?: number; cursor?: string }>();
    expectTypeOf<AdminRequests['CreateCommand']['body']['command_name']>().toEqualTypeOf<'START' | 'STOP' | 'DELETE' | 'SYNC'>();
    // @ts-expect-error CreateSource answers 201, not 200
    const ok200: AdminHandlers['CreateSource'] = async () => ({ status: 200, body: { server_id: 'x', name: null, created_at: '', last_poll_at: null, last_report_at: null, held_command: null } });
    // @ts-expect-error SKIP is never queued
    const skipQueued: AdminRequests['CreateCommand']['body'] = { command_name: 'SKIP' };
    void [ok200, skipQueued];
  });
});
