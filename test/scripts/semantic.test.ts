/** scripts/breaking/semantic.ts: generated requests of the old contract against the new one, generated responses of the new one against the old. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../scripts/breaking/diff.js';
import { semanticChanges } from '../../scripts/breaking/semantic.js';
import { projectRoot } from '../../harness/processes.js';

type J = Record<string, any>;
const release = (file = 'spec/releases/3.1.0.json'): J => JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as J;
/** The semantic changes of `edit` (on the new side) and `before` (on the old side), as the gate adds them beside the rules'. */
function semantic(edit: (d: J) => void, before: (d: J) => void = () => {}) {
  const oldDoc = release();
  before(oldDoc);
  const newDoc = release();
  edit(newDoc);
  return semanticChanges(oldDoc, newDoc, diffSpecs(oldDoc, newDoc));
}

describe('the semantic check', () => {
  it.each(['spec/releases/3.1.0.json', 'spec/releases/admin/1.0.0.json'])('finds nothing between %s and itself', (file) => {
    expect(semanticChanges(release(file), release(file), [])).toEqual([]);
  });

  it.each(['spec/releases/3.2.0.json', 'spec/releases/admin/1.1.0.json'])('leaves both documents as they were (%s: json-schema-faker resolves $refs in place; a release once wrote them resolved away)', (file) => {
    const [oldDoc, newDoc] = [release('spec/releases/admin/1.0.0.json'), release(file)];
    const [oldCopy, newCopy] = [structuredClone(oldDoc), structuredClone(newDoc)];
    semanticChanges(oldDoc, newDoc, []);
    semanticChanges(newDoc, newDoc, []);
    expect([oldDoc, newDoc]).toEqual([oldCopy, newCopy]);
  });

  it('finds a request the old contract accepts and the new one refuses, where no rule looks (dependentRequired), with the example', () => {
    const changes = semantic((d) => (d.components.schemas.CommandBody.dependentRequired = { result: ['agent_version'] }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ rule: 'request-refused', severity: 'breaking', operation: 'UpdateCommandResult', location: 'body' });
    expect(changes[0]?.detail).toMatch(/^this request was valid in 3\.1\.0 and is refused now: body \{"command_name":.*\} \(\(root\) must have property agent_version when property result is present\)$/);
  });

  it('finds a response the new contract allows and the old one did not', () => {
    const changes = semantic(
      () => {},
      (d) => (d.components.schemas.CommandParam.dependentRequired = { task_id: ['bucket'] }),
    );
    expect(changes.map((c) => [c.rule, c.operation, c.location])).toEqual([['response-unexpected', 'ShowCommand', 'response 200 body']]);
    expect(changes[0]?.detail).toMatch(/^this response is allowed now and was not in 3\.1\.0: response 200 body \{.*"task_id".*\}/);
  });

  it('is deterministic: the same documents give the same counterexample', () => {
    const edit = (d: J) => (d.components.schemas.CommandBody.dependentRequired = { result: ['agent_version'] });
    expect(semantic(edit)).toEqual(semantic(edit));
  });

  it('adds nothing where a rule already names the change (one review entry per break)', () => {
    expect(semantic((d) => (d.components.parameters.ServerId.schema.maxLength = 5))).toEqual([]);
  });

  it('lets a response carry a property the old closed schema did not list, as the rules do', () => {
    expect(semantic((d) => (d.components.schemas.Command.properties.lease_seconds = { type: 'integer' }))).toEqual([]);
  });

  /** Edits no rule looks at, each with the counterexample it must print: [name, contract, edit of the new side, edit of the old side]. */
  const unnamed: Array<[string, string, (d: J) => void, ((d: J) => void)?]> = [
    ['dependentRequired on the report body', 'spec/releases/3.1.0.json', (d) => (d.components.schemas.CommandBody.dependentRequired = { result: ['agent_version'] })],
    ['minProperties on result_detail: a rule names it, so the semantic check adds nothing', 'spec/releases/3.1.0.json', (d) => (d.components.schemas.ResultDetail.oneOf[0].minProperties = 1)],
    ['dependentRequired on a token request of the admin API', 'spec/releases/admin/1.1.0.json', (d) => (d.components.schemas.NewToken.dependentRequired = { actions: ['owner'] })],
    ['an if/then on server_id (only its then-part is the reason)', 'spec/releases/3.1.0.json', (d) => Object.assign(d.components.parameters.ServerId.schema, { if: { minLength: 3 }, then: { pattern: '^f' } })],
    ['a rule on server_id and dependentRequired on the body: only the body is the semantic check\'s', 'spec/releases/3.1.0.json', (d) => ((d.components.parameters.ServerId.schema.maxLength = 5), (d.components.schemas.CommandBody.dependentRequired = { result: ['agent_version'] }))],
    ['a response dependentRequired dropped', 'spec/releases/3.1.0.json', () => {}, (d) => (d.components.schemas.CommandParam.dependentRequired = { task_id: ['bucket'] })],
    ['an if/then on a query parameter of the admin API', 'spec/releases/admin/1.1.0.json', (d) => Object.assign(d.components.parameters.Limit.schema, { if: { minimum: 50 }, then: { maximum: 60 } })],
    ['no info.version on the old side', 'spec/releases/3.1.0.json', (d) => (d.components.schemas.CommandBody.dependentRequired = { result: ['agent_version'] }), (d) => delete d.info.version],
  ];

  it('prints each counterexample exactly (semantic.lines.txt; deterministic: a fixed seed; after a deliberate change: `-u`, and review the diff)', async () => {
    const text = unnamed
      .map(([name, file, edit, before]) => {
        const oldDoc = release(file);
        before?.(oldDoc);
        const newDoc = release(file);
        edit(newDoc);
        const changes = semanticChanges(oldDoc, newDoc, diffSpecs(oldDoc, newDoc));
        return `# ${name}\n${changes.map((c) => `${c.rule} ${c.severity} ${c.operation} [${c.location}] ${c.detail}`).join('\n')}\n`;
      })
      .join('\n');
    await expect(text).toMatchFileSnapshot('./semantic.lines.txt');
  });
});

describe('the semantic check on small contracts', () => {
  /** A contract of one operation (POST /things, no operationId unless given) with a query parameter, a JSON body and a JSON 200 response. */
  const contract = (parts: { query?: J; body?: J; response?: J; operationId?: string; info?: J }): J => ({
    openapi: '3.1.0',
    ...(parts.info ? { info: parts.info } : {}),
    paths: {
      '/things': {
        post: {
          ...(parts.operationId ? { operationId: parts.operationId } : {}),
          parameters: parts.query ? [{ name: 'filter', in: 'query', schema: parts.query }] : [],
          requestBody: { content: { 'application/json': { schema: parts.body ?? { type: 'object' } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: parts.response ?? { type: 'object' } } } } },
        },
      },
    },
  });
  const found = (before: J, after: J) => semanticChanges(before, after, []).map((c) => `${c.rule} ${c.operation} [${c.location}] ${c.detail}`);
  const open = { type: 'object', required: ['b'], properties: { a: { type: 'string' }, b: { type: 'integer' } } };

  it.each([
    ['additionalProperties', { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } }],
    ['unevaluatedProperties', { type: 'object', unevaluatedProperties: false, properties: { a: { type: 'string' } } }],
  ])('lets a response carry a property an old schema closed by %s did not list (clients tolerate it)', (_keyword, closed) => {
    expect(found(contract({ response: closed }), contract({ response: open }))).toEqual([]);
  });

  it('does not let a request carry a property the new schema closes out, in the body or a parameter', () => {
    const closed = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    expect(found(contract({ body: open, query: open }), contract({ body: closed, query: closed }))).toEqual([
      expect.stringMatching(/^request-refused POST \/things \[query filter\] this request was valid in the old contract and is refused now: query filter \{.*"b":.*\} \(\(root\) must NOT have additional properties\)$/),
      expect.stringMatching(/^request-refused POST \/things \[body\] .* body \{.*"b":.*\} \(\(root\) must NOT have additional properties\)$/),
    ]);
  });

  it('names the first two reasons of a refusal, and the version the example was valid in', () => {
    const after = contract({ body: { type: 'object', required: ['a', 'b', 'c'] }, operationId: 'MakeThing' });
    expect(found(contract({ info: { version: '1.2.3' }, operationId: 'MakeThing' }), after)).toEqual([
      "request-refused MakeThing [body] this request was valid in 1.2.3 and is refused now: body {} ((root) must have required property 'a'; (root) must have required property 'b')",
    ]);
  });

  it('asserts formats', () => {
    expect(found(contract({ query: { type: 'string', minLength: 1 } }), contract({ query: { type: 'string', minLength: 1, format: 'uuid' } }))).toEqual([
      expect.stringMatching(/\[query filter\] .* \(\(root\) must match format "uuid"\)$/),
    ]);
  });

  it('cuts a long example to 200 characters', () => {
    const long = { type: 'string', minLength: 60, maxLength: 60 };
    const before = contract({ body: { type: 'object', required: ['a', 'b', 'c', 'd'], properties: { a: long, b: long, c: long, d: long } } });
    const after = contract({ body: { type: 'object', maxProperties: 3 } });
    const [detail] = semanticChanges(before, after, []).map((c) => c.detail);
    const example = /body (\{.*) \(\(root\)/.exec(detail ?? '')?.[1] ?? '';
    expect(example).toHaveLength(200);
    expect(example.endsWith('…')).toBe(true);
  });

  it('compares only what both sides have: an operation, a parameter, a response gone is the rules\' business', () => {
    const before = contract({ query: { type: 'string' } });
    const withoutAll = (d: J): J => {
      d.paths['/things'].post.parameters = [];
      delete d.paths['/things'].post.responses['200'];
      return d;
    };
    expect(found(before, withoutAll(contract({})))).toEqual([]);
    expect(found(before, { openapi: '3.1.0', paths: { '/things': { get: { responses: {} } } } })).toEqual([]);
    expect(found(before, { openapi: '3.1.0', paths: {} })).toEqual([]);
  });

  it('adds nothing to a response where a rule already names a change', () => {
    const before = contract({ response: { type: 'object', required: ['state'], properties: { state: { enum: ['on'] } } } });
    const after = contract({ response: { type: 'object', required: ['state'], properties: { state: { enum: ['on', 'off'] } } } });
    expect(found(before, after)).toEqual([expect.stringContaining('response-unexpected POST /things [response 200 body]')]);
    expect(semanticChanges(before, after, diffSpecs(before, after))).toEqual([]);
  });
});
