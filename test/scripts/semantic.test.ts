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
