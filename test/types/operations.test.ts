/**
 * Type-level tests, checked by `tsc` in `npm run typecheck` (each @ts-expect-error must be an error, or the
 * typecheck fails) and by vitest's expectTypeOf.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operations } from '../../generated/schema.js';
import type { OkBody, OperationHandler, RequestBody } from '../../server/operations.js';

type CommandBody = components['schemas']['CommandBody'];

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
    expectTypeOf<RequestBody<'UpdateCommandResult'>>().toEqualTypeOf<CommandBody>();
  });

  it('type the ShowCommand 200 body after the seed example', () => {
    const seed: OkBody<'ShowCommand'> = { command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } };
    expectTypeOf(seed.command_name).toEqualTypeOf<'START' | 'STOP' | 'DELETE' | 'SYNC' | 'SKIP'>();
    expectTypeOf<operations['ShowCommand']['parameters']['path']>().toEqualTypeOf<{ server_id: string }>();
  });
});

describe('the generated server stub', () => {
  it('does not compile a handler that returns a body the spec does not allow', () => {
    const good: OperationHandler<'ShowCommand'> = async () => ({ command_name: 'SKIP' });
    // @ts-expect-error REBOOT is not a command the spec allows
    const badName: OperationHandler<'ShowCommand'> = async () => ({ command_name: 'REBOOT' });
    // @ts-expect-error command_name is required in the 200 body
    const missing: OperationHandler<'ShowCommand'> = async () => ({ command_param: { task_id: 't' } });
    // @ts-expect-error the 200 body of UpdateCommandResult is an empty object
    const extra: OperationHandler<'UpdateCommandResult'> = async () => ({ ok: true });
    const reads: OperationHandler<'UpdateCommandResult'> = async ({ body, params }) => {
      expectTypeOf(body.result).toEqualTypeOf<'success' | 'fail'>();
      expectTypeOf(params.server_id).toEqualTypeOf<string>();
      return {};
    };
    void [good, badName, missing, extra, reads];
  });
});
