/**
 * server/compiledRoutes.ts: the generated route tables compiled against their bundled contracts. Each
 * operation's matcher takes its own path exactly (parameters as sent, unencoded, no query, no trailing
 * slash), and its validators are the contract's schemas found by the table's pointers: a change of the
 * contract's bounds is a change of what they allow, with nothing restated here.
 */
import { describe, expect, it } from 'vitest';
import { routes as adminRoutes } from '../../generated/admin/routes.js';
import { routes } from '../../generated/routes.js';
import { compileRoutes, type CompiledRoute } from '../../server/compiledRoutes.js';
import { loadBundledSpec, type BundledSpec } from '../../server/spec.js';

const byId = <Id extends string>(compiled: Array<CompiledRoute<Id>>) => Object.fromEntries(compiled.map((c) => [c.operationId, c])) as Partial<Record<Id, CompiledRoute<Id>>>;

describe('compileRoutes on the Agent contract', () => {
  const { ShowCommand, UpdateCommandResult } = byId(compileRoutes(routes, loadBundledSpec('agent')));

  it('matches each operation\'s path exactly, its parameters as sent', () => {
    expect(ShowCommand?.method).toBe('GET');
    expect(UpdateCommandResult?.method).toBe('POST');
    expect(ShowCommand?.match('/v3/sources/f32ab4d6-d150/command')).toEqual({ server_id: 'f32ab4d6-d150' });
    expect(UpdateCommandResult?.match('/v3/sources/a_b/command_result')).toEqual({ server_id: 'a_b' });
    for (const url of ['/v3/sources/a/command/', '/v3/sources/a/command?x=1', '/v3/sources/a%2Db/command', '/v3/sources//command', '/V3/sources/a/command', '/v3/sources/a/b/command', '/v3/sources/a/command_result', 'x/v3/sources/a/command']) {
      expect(ShowCommand?.match(url), url).toBeUndefined();
    }
  });

  it('validates the path parameters, the body and the 200 answers by the contract', () => {
    expect(ShowCommand?.params({ server_id: 'f32ab4d6-d150' })).toBe(true);
    expect(ShowCommand?.params({ server_id: 'x'.repeat(37) })).toBe(false);
    expect(ShowCommand?.params({ server_id: 'a.b' })).toBe(false);
    expect(ShowCommand?.params({})).toBe(false);
    expect(ShowCommand?.body).toBeUndefined();
    expect(UpdateCommandResult?.body?.({ command_name: 'START', result: 'success', result_detail: {} })).toBe(true);
    expect(UpdateCommandResult?.body?.({ command_name: 'START', result: 'SUCCESS', result_detail: {} })).toBe(false);
    expect(ShowCommand?.answers[200]?.({ command_name: 'SKIP' })).toBe(true);
    expect(ShowCommand?.answers[200]?.({ command_param: {} })).toBe(false);
    expect(UpdateCommandResult?.answers[200]?.({})).toBe(true);
  });

  it('follows the contract it is given: server_id bounded to 4 characters there is what the validator allows', () => {
    const spec = loadBundledSpec('agent');
    const document = structuredClone(spec.document) as { components: { parameters: { ServerId: { schema: { maxLength: number } } } } };
    document.components.parameters.ServerId.schema.maxLength = 4;
    const narrowed: BundledSpec = { text: JSON.stringify(document), document };
    const { ShowCommand: show } = byId(compileRoutes(routes, narrowed));
    expect(show?.params({ server_id: 'abcd' })).toBe(true);
    expect(show?.params({ server_id: 'abcde' })).toBe(false);
  });
});

describe('compileRoutes on the admin contract', () => {
  const compiled = byId(compileRoutes(adminRoutes, loadBundledSpec('admin')));

  it('matches a path without parameters, and one with two, in path order', () => {
    expect(compiled.ListSources?.match('/admin/v1/sources')).toEqual({});
    expect(compiled.ListSources?.match('/admin/v1/sources/')).toBeUndefined();
    expect(compiled.CancelCommand?.match('/admin/v1/sources/s-1/commands/c-2')).toEqual({ server_id: 's-1', command_id: 'c-2' });
    expect(compiled.CancelCommand?.method).toBe('DELETE');
  });

  it('compiles every success status with a JSON body, and the JSON request bodies', () => {
    expect(Object.keys(compiled.CreateSource?.answers ?? {})).toEqual(['201']);
    expect(compiled.CreateSource?.body).toBeTypeOf('function');
    expect(compiled.ListSources?.body).toBeUndefined();
  });
});
