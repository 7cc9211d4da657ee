/** Every rule of scripts/breaking/rules.ts on a pair of small specs: the change it names, with its severity, and nothing else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSpecs, formatChange } from '../../scripts/breaking/diff.js';
import { rules, type RuleId } from '../../scripts/breaking/rules.js';
import { projectRoot } from '../../harness/processes.js';

type J = Record<string, any>;

/** A small contract with a path parameter, a query parameter, a closed request body, a response schema and security. */
function base(): J {
  return {
    openapi: '3.1.0',
    info: { title: 'things', version: '1.0.0', description: 'Things.' },
    security: [{ AuthToken: [] }],
    components: {
      securitySchemes: { AuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' } },
      schemas: {
        Thing: {
          type: 'object',
          required: ['name', 'state'],
          additionalProperties: false,
          properties: { name: { type: 'string', maxLength: 255 }, state: { type: 'string', enum: ['on', 'off'] }, extra: { type: 'string' }, tags: { type: 'array', maxItems: 5, items: { type: 'string' } } },
        },
      },
    },
    paths: {
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 36 } }],
        get: {
          operationId: 'ShowThing',
          description: 'Shows a thing.',
          parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'ok', headers: { 'X-Request-Id': { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, example: { name: 'a', state: 'on' } } } },
            '404': { description: 'not found' },
          },
        },
        post: {
          operationId: 'UpdateThing',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', maxLength: 255 }, kind: { type: 'string', enum: ['a', 'b'] }, note: { type: 'string' }, count: { type: 'integer', maximum: 10, minimum: 0 } } },
              },
            },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
}

const thing = (d: J): J => d.components.schemas.Thing;
const body = (d: J): J => d.paths['/things/{id}'].post.requestBody.content['application/json'].schema;
const idParam = (d: J): J => d.paths['/things/{id}'].parameters[0].schema;

/** Diffs the base with `before` applied (the old side) against the base with `edit` applied (the new side). */
function changesOf(edit: (d: J) => void, before: (d: J) => void = () => {}) {
  const oldDoc = base();
  before(oldDoc);
  const newDoc = base();
  edit(newDoc);
  return diffSpecs(oldDoc, newDoc);
}

const cases: Array<[RuleId, string, (d: J) => void, ((d: J) => void)?]> = [
  ['path-removed', 'path /things/{id}', (d) => delete d.paths['/things/{id}']],
  ['path-added', 'path /other', (d) => (d.paths['/other'] = { get: { operationId: 'Other', responses: { '200': { description: 'ok' } } } })],
  ['operation-removed', 'POST /things/{id}', (d) => delete d.paths['/things/{id}'].post],
  ['operation-added', 'DELETE /things/{id}', (d) => (d.paths['/things/{id}'].delete = { operationId: 'DeleteThing', responses: { '204': { description: 'gone' } } })],
  ['security-added', 'security AuthToken', () => {}, (d) => delete d.security],
  ['security-removed', 'security AuthToken', (d) => (d.security = [{}])],
  ['security-alternative-added', 'security Signature', (d) => ((d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }), (d.security = [{ AuthToken: [] }, { Signature: [] }]))],
  [
    'security-alternative-removed',
    'security Signature',
    () => {},
    (d) => ((d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }), (d.security = [{ AuthToken: [] }, { Signature: [] }])),
  ],
  ['security-scheme-changed', 'security AuthToken', (d) => (d.components.securitySchemes.AuthToken.name = 'X-Api-Token')],
  ['request-parameter-added-required', 'header X-Trace', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } })],
  ['request-parameter-added-optional', 'query page', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'page', in: 'query', schema: { type: 'integer' } })],
  ['request-parameter-removed', 'query q', (d) => (d.paths['/things/{id}'].get.parameters = [])],
  ['request-parameter-became-required', 'query q', (d) => (d.paths['/things/{id}'].get.parameters[0].required = true)],
  ['request-parameter-became-optional', 'query q', (d) => (d.paths['/things/{id}'].get.parameters[0].required = false), (d) => (d.paths['/things/{id}'].get.parameters[0].required = true)],
  ['request-max-length-decreased', 'path id', (d) => (idParam(d).maxLength = 20)],
  ['request-max-length-increased', 'path id', (d) => (idParam(d).maxLength = 64)],
  ['request-min-length-increased', 'path id', (d) => (idParam(d).minLength = 2)],
  ['request-min-length-decreased', 'path id', (d) => delete idParam(d).minLength],
  ['request-pattern-added', 'path id', (d) => (idParam(d).pattern = '^[a-z]+$')],
  ['request-pattern-changed', 'path id', (d) => (idParam(d).pattern = '^[a-z0-9]+$'), (d) => (idParam(d).pattern = '^[a-z]+$')],
  ['request-pattern-removed', 'path id', (d) => delete idParam(d).pattern, (d) => (idParam(d).pattern = '^[a-z]+$')],
  ['request-body-became-optional', 'body', (d) => (d.paths['/things/{id}'].post.requestBody.required = false)],
  ['request-body-became-required', 'body', (d) => (d.paths['/things/{id}'].post.requestBody.required = true), (d) => (d.paths['/things/{id}'].post.requestBody.required = false)],
  ['request-body-added-required', 'body', (d) => (d.paths['/things/{id}'].get.requestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } })],
  ['request-body-removed', 'body', (d) => delete d.paths['/things/{id}'].post.requestBody],
  ['request-media-type-removed', 'body application/json', (d) => delete d.paths['/things/{id}'].post.requestBody.content['application/json']],
  ['request-property-added-required', 'body owner', (d) => ((body(d).properties.owner = { type: 'string' }), body(d).required.push('owner'))],
  ['request-property-added-optional', 'body owner', (d) => (body(d).properties.owner = { type: 'string' })],
  ['request-property-removed-closed', 'body note', (d) => delete body(d).properties.note],
  ['request-property-removed', 'body note', (d) => (delete body(d).properties.note, delete body(d).additionalProperties), (d) => delete body(d).additionalProperties],
  ['request-property-became-required', 'body kind', (d) => body(d).required.push('kind')],
  ['request-property-became-optional', 'body name', (d) => (body(d).required = [])],
  ['request-type-changed', 'body note', (d) => (body(d).properties.note = { type: 'integer' })],
  ['request-type-widened', 'body note', (d) => (body(d).properties.note = { type: ['string', 'null'] })],
  ['request-enum-value-removed', 'body kind', (d) => (body(d).properties.kind.enum = ['a'])],
  ['request-enum-value-added', 'body kind', (d) => (body(d).properties.kind.enum = ['a', 'b', 'c'])],
  ['request-enum-added', 'body note', (d) => (body(d).properties.note.enum = ['x'])],
  ['request-maximum-decreased', 'body count', (d) => (body(d).properties.count.maximum = 5)],
  ['request-minimum-increased', 'body count', (d) => (body(d).properties.count.minimum = 1)],
  ['request-multiple-of-added', 'body count', (d) => (body(d).properties.count.multipleOf = 2)],
  ['request-multiple-of-changed', 'body count', (d) => (body(d).properties.count.multipleOf = 3), (d) => (body(d).properties.count.multipleOf = 2)],
  ['request-multiple-of-removed', 'body count', () => {}, (d) => (body(d).properties.count.multipleOf = 2)],
  ['request-exclusive-maximum-decreased', 'body count', (d) => (body(d).properties.count.exclusiveMaximum = 8)],
  ['request-exclusive-minimum-increased', 'body count', (d) => (body(d).properties.count.exclusiveMinimum = 0)],
  ['request-unique-items-added', 'body tags', (d) => (body(d).properties.tags = { type: 'array', items: { type: 'string' }, uniqueItems: true }), (d) => (body(d).properties.tags = { type: 'array', items: { type: 'string' } })],
  ['request-unique-items-removed', 'body tags', (d) => (body(d).properties.tags = { type: 'array', items: { type: 'string' } }), (d) => (body(d).properties.tags = { type: 'array', items: { type: 'string' }, uniqueItems: true })],
  ['request-not-added', 'body note', (d) => (body(d).properties.note.not = { const: '' })],
  ['request-read-only-added', 'body note', (d) => (body(d).properties.note.readOnly = true)],
  ['request-discriminator-added', 'body', (d) => (body(d).discriminator = { propertyName: 'kind' })],
  ['request-parameter-style-changed', 'query q', (d) => (d.paths['/things/{id}'].get.parameters[0].explode = false)],
  ['response-write-only-added', 'response 200 body extra', (d) => (thing(d).properties.extra.writeOnly = true)],
  ['response-type-changed', 'response 200 body tags[]', (d) => (thing(d).properties.tags.items = { type: ['string', 'integer'] })],
  ['response-unique-items-removed', 'response 200 body tags', () => {}, (d) => (thing(d).properties.tags.uniqueItems = true)],
  ['response-header-schema-changed', 'response 200 header X-Request-Id', (d) => (d.paths['/things/{id}'].get.responses['200'].headers['X-Request-Id'].schema.maxLength = 64), (d) => (d.paths['/things/{id}'].get.responses['200'].headers['X-Request-Id'].schema.maxLength = 36)],
  ['request-format-added', 'path id', (d) => (idParam(d).format = 'uuid')],
  ['request-format-changed', 'path id', (d) => (idParam(d).format = 'uuid'), (d) => (idParam(d).format = 'hostname')],
  ['request-format-removed', 'path id', () => {}, (d) => (idParam(d).format = 'uuid')],
  ['request-const-added', 'body kind', (d) => (body(d).properties.kind.const = 'a')],
  ['request-const-changed', 'body kind', (d) => (body(d).properties.kind.const = 'b'), (d) => (body(d).properties.kind.const = 'a')],
  ['request-const-removed', 'body kind', () => {}, (d) => (body(d).properties.kind.const = 'a')],
  ['response-format-added', 'response 200 body name', (d) => (thing(d).properties.name.format = 'email')],
  ['response-format-changed', 'response 200 body name', (d) => (thing(d).properties.name.format = 'uri'), (d) => (thing(d).properties.name.format = 'email')],
  ['response-format-removed', 'response 200 body name', () => {}, (d) => (thing(d).properties.name.format = 'email')],
  ['response-const-added', 'response 200 body state', (d) => (thing(d).properties.state.const = 'on')],
  ['response-const-changed', 'response 200 body state', (d) => (thing(d).properties.state.const = 'off'), (d) => (thing(d).properties.state.const = 'on')],
  ['response-const-removed', 'response 200 body state', () => {}, (d) => (thing(d).properties.state.const = 'on')],
  ['request-additional-properties-closed', 'body', (d) => (body(d).additionalProperties = false), (d) => delete body(d).additionalProperties],
  ['request-additional-properties-opened', 'body', (d) => delete body(d).additionalProperties],
  ['response-status-removed', 'response 200', (d) => delete d.paths['/things/{id}'].get.responses['200']],
  ['response-error-status-removed', 'response 404', (d) => delete d.paths['/things/{id}'].get.responses['404']],
  ['response-status-added', 'response 429', (d) => (d.paths['/things/{id}'].get.responses['429'] = { description: 'slow down' })],
  ['response-body-added', 'response 200 body', (d) => (d.paths['/things/{id}'].post.responses['200'].content = { 'application/json': { schema: { type: 'object' } } })],
  ['response-body-removed', 'response 200 body', (d) => delete d.paths['/things/{id}'].get.responses['200'].content],
  ['response-media-type-removed', 'response 200 body application/json', (d) => (d.paths['/things/{id}'].get.responses['200'].content = { 'text/plain': { schema: { type: 'string' } } }), (d) => (d.paths['/things/{id}'].get.responses['200'].content['text/plain'] = { schema: { type: 'string' } })],
  ['response-header-removed', 'response 200 header X-Request-Id', (d) => delete d.paths['/things/{id}'].get.responses['200'].headers],
  ['response-property-removed', 'response 200 body extra', (d) => delete thing(d).properties.extra],
  ['response-property-became-optional', 'response 200 body state', (d) => (thing(d).required = ['name'])],
  ['response-property-became-required', 'response 200 body extra', (d) => thing(d).required.push('extra')],
  ['response-property-added', 'response 200 body owner', (d) => (thing(d).properties.owner = { type: 'string' })],
  ['response-type-changed', 'response 200 body name', (d) => (thing(d).properties.name = { type: ['string', 'null'], maxLength: 255 })],
  ['response-enum-value-added', 'response 200 body state', (d) => thing(d).properties.state.enum.push('unknown')],
  ['response-enum-value-removed', 'response 200 body state', (d) => (thing(d).properties.state.enum = ['on'])],
  ['response-max-length-increased', 'response 200 body name', (d) => (thing(d).properties.name.maxLength = 1024)],
  ['response-max-items-increased', 'response 200 body tags', (d) => delete thing(d).properties.tags.maxItems],
  ['response-additional-properties-opened', 'response 200 body', (d) => delete thing(d).additionalProperties],
  // what each case above does not reach
  ['security-added', 'security AuthToken', (d) => (d.security = [{ AuthToken: [] }]), (d) => (d.security = [{}, { AuthToken: [] }])],
  ['security-removed', 'security AuthToken', (d) => (d.security = [])],
  ['security-alternative-added', 'security Signature', (d) => ((d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }), (d.security = [{ Signature: [] }, { AuthToken: [] }]))],
  ['security-scheme-changed', 'security Key', (d) => ((d.components.securitySchemes.Key = { type: 'apiKey', in: 'query', name: 'KEY' }), (d.security = [{ Key: [] }])), (d) => ((d.components.securitySchemes.Key = { type: 'apiKey', in: 'query', name: 'key' }), (d.security = [{ Key: [] }]))],
  ['request-body-added-optional', 'body', (d) => (d.paths['/things/{id}'].get.requestBody = { content: { 'application/json': { schema: { type: 'object' } } } })],
  ['request-media-type-added', 'body text/plain', (d) => (d.paths['/things/{id}'].post.requestBody.content['text/plain'] = { schema: { type: 'string' } })],
  ['response-media-type-added', 'response 200 body text/plain', (d) => (d.paths['/things/{id}'].get.responses['200'].content['text/plain'] = { schema: { type: 'string' } })],
  ['response-header-added', 'response 200 header X-Trace', (d) => (d.paths['/things/{id}'].get.responses['200'].headers['X-Trace'] = { schema: { type: 'string' } })],
  ['response-type-narrowed', 'response 200 body name', (d) => (thing(d).properties.name = { type: 'string', maxLength: 255 }), (d) => (thing(d).properties.name = { type: ['string', 'null'], maxLength: 255 })],
  ['response-enum-removed', 'response 200 body state', (d) => delete thing(d).properties.state.enum],
  ['request-type-changed', 'body note', (d) => (body(d).properties.note = { type: 'object', additionalProperties: false })],
  ['request-type-changed', 'body tags[]', (d) => (body(d).properties.tags = { type: 'array', items: { type: 'string' } }), (d) => (body(d).properties.tags = { type: 'array' })],
  ['request-max-length-decreased', 'query q', (d) => (d.paths['/things/{id}'].get.parameters[0].schema = { maxLength: 5 }), (d) => delete d.paths['/things/{id}'].get.parameters[0].schema],
  ['request-max-length-decreased', 'query q', (d) => (d.paths['/things/{id}'].get.parameters[0].schema = { oneOf: [{ type: 'string', maxLength: 10 }] }), (d) => (d.paths['/things/{id}'].get.parameters[0].schema = { oneOf: [{ type: 'string', maxLength: 20 }] })],
  ['request-max-length-decreased', 'body note', (d) => (body(d).properties.note = { allOf: [{ type: 'string', maxLength: 10 }] }), (d) => (body(d).properties.note = { allOf: [{ type: 'string', maxLength: 20 }] })],
  ['request-max-length-decreased', 'body note', (d) => (body(d).properties.note = { type: 'string', maxLength: 5, allOf: [{ maxLength: 20 }] }), (d) => (body(d).properties.note = { type: 'string', maxLength: 10, allOf: [{ maxLength: 20 }] })],
  ['request-property-became-optional', 'body name', (d) => ((body(d).allOf = [{ properties: { owner: { type: 'string' } } }]), (body(d).required = [])), (d) => (body(d).allOf = [{ properties: { owner: { type: 'string' } } }])],
];

describe('diffSpecs: security schemes', () => {
  it.each([
    ['its location', (d: J) => (d.components.securitySchemes.AuthToken.in = 'query'), 'apiKey header x-auth-token → apiKey query X-Auth-Token'],
    ['its type', (d: J) => (d.components.securitySchemes.AuthToken = { type: 'http', scheme: 'bearer' }), 'apiKey header x-auth-token → http bearer'],
  ])('calls a scheme redefined in %s breaking, naming old and new', (_what, edit, detail) => {
    expect(changesOf(edit).map((c) => [c.rule, c.severity, c.detail])).toEqual([
      ['security-scheme-changed', 'breaking', detail],
      ['security-scheme-changed', 'breaking', detail],
    ]);
  });

  it("ignores a header name's case, and a scheme's description", () => {
    expect(
      changesOf((d: J) => {
        d.components.securitySchemes.AuthToken.name = 'x-auth-TOKEN';
        d.components.securitySchemes.AuthToken.description = 'another text';
      }),
    ).toEqual([]);
  });

  it('calls a second credential added as an alternative compatible (what AK/SK signing will add)', () => {
    const changes = changesOf((d: J) => {
      d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' };
      d.security = [{ AuthToken: [] }, { Signature: [] }];
    });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.severity !== 'info')).toEqual([]);
  });
});

describe('diffSpecs: what is no change', () => {
  it.each<[string, (d: J) => void, ((d: J) => void)?]>([
    ['the schemes of an alternative listed in another order', (d) => ((d.security = [{ Signature: [], AuthToken: [] }]), (d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' })), (d) => ((d.security = [{ AuthToken: [], Signature: [] }]), (d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }))],
    ['an alternative added whose schemes were enough before', (d) => (d.security = [{ AuthToken: [] }, { AuthToken: [], Signature: [] }]), (d) => (d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' })],
    ['an alternative that asked for more removed', (d) => (d.security = [{ AuthToken: [] }]), (d) => ((d.security = [{ AuthToken: [] }, { AuthToken: [], Signature: [] }]), (d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }))],
    ['a nameless header scheme, on both sides', (d) => (d.components.securitySchemes.AuthToken = { type: 'apiKey', in: 'header' }), (d) => (d.components.securitySchemes.AuthToken = { type: 'apiKey', in: 'header' })],
    ['uniqueItems: false written out (the default)', (d) => (body(d).properties.tags = { type: 'array', uniqueItems: false }), (d) => (body(d).properties.tags = { type: 'array' })],
    ['an enum added to a response value (clients get less than they were told)', (d) => (thing(d).properties.extra.enum = ['x'])],
    ['additionalProperties: false on a string', (d) => (body(d).properties.note.additionalProperties = false)],
    ['a response header schema tightened (only what a reader can feel is reported)', (d) => (d.paths['/things/{id}'].get.responses['200'].headers['X-Request-Id'].schema.maxLength = 36)],
    ['a const given the type it has', (d) => (body(d).properties.note = { type: 'string', const: 'x' }), (d) => (body(d).properties.note = { const: 'x' })],
    ['an enum given the types it has', (d) => (body(d).properties.note = { type: ['string', 'null'], enum: ['x', null] }), (d) => (body(d).properties.note = { enum: ['x', null] })],
    ['a media type with no schema on both sides', (d) => (d.paths['/things/{id}'].post.requestBody.content['text/plain'] = {}), (d) => (d.paths['/things/{id}'].post.requestBody.content['text/plain'] = {})],
  ])('%s', (_name, edit, before) => {
    expect(changesOf(edit, before)).toEqual([]);
  });
});

describe('diffSpecs: recursive schemas', () => {
  const tree = (maxLength: number): J => ({ type: 'object', properties: { label: { type: 'string', maxLength }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } });
  it('compares a schema that refers to itself once around its cycle', () => {
    const changes = changesOf(
      (d) => ((d.components.schemas.Node = tree(10)), (body(d).properties.tree = { $ref: '#/components/schemas/Node' })),
      (d) => ((d.components.schemas.Node = tree(20)), (body(d).properties.tree = { $ref: '#/components/schemas/Node' })),
    );
    // tree.children[] is the pair being compared again: what changes there changed at tree
    expect(changes.map((c) => `${c.rule} @ ${c.location}`)).toEqual(['request-max-length-decreased @ body tree.label']);
  });

  it('folds in an allOf that reaches itself once', () => {
    const looped = (maxLength: number) => (d: J) => ((d.components.schemas.Loop = { allOf: [{ $ref: '#/components/schemas/Loop' }, { type: 'string', maxLength }] }), (body(d).properties.note = { $ref: '#/components/schemas/Loop' }));
    expect(changesOf(looped(5), looped(10)).map((c) => `${c.rule} @ ${c.location}: ${c.detail}`)).toEqual(['request-max-length-decreased @ body note: maxLength 10 → 5']);
  });
});

describe('diffSpecs: allOf', () => {
  it('sees a required property an allOf adds to a request body (every sender without it breaks)', () => {
    const changes = changesOf((d) => {
      const schema = body(d);
      d.paths['/things/{id}'].post.requestBody.content['application/json'].schema = { allOf: [schema, { type: 'object', required: ['owner'], properties: { owner: { type: 'string' } } }] };
    });
    expect(changes.map((c) => [c.rule, c.severity, c.location])).toEqual([['request-property-added-required', 'breaking', 'body owner']]);
  });

  it('calls the same schema written as an allOf of its parts no change', () => {
    expect(
      changesOf((d) => {
        const { properties, required, ...rest } = body(d);
        d.paths['/things/{id}'].post.requestBody.content['application/json'].schema = { allOf: [rest, { properties, required }] };
      }),
    ).toEqual([]);
  });
});

describe('diffSpecs: anyOf, compared like oneOf (by the types of its variants)', () => {
  const note = (d: J, schema: J) => (body(d).properties.note = schema);
  const stringOrInteger = { anyOf: [{ type: 'string', maxLength: 20 }, { type: 'integer' }] };
  const rulesAt = (changes: ReturnType<typeof changesOf>) => changes.map((c) => `${c.rule} @ ${c.location}: ${c.detail}`);

  it('a request variant removed refuses what it accepted: breaking', () => {
    expect(rulesAt(changesOf((d) => note(d, { anyOf: [{ type: 'string', maxLength: 20 }] }), (d) => note(d, stringOrInteger)))).toEqual([
      'request-type-changed @ body note: type string | number → string',
    ]);
  });

  it('a request variant added accepts more: compatible', () => {
    expect(rulesAt(changesOf((d) => note(d, stringOrInteger), (d) => note(d, { anyOf: [{ type: 'string', maxLength: 20 }] })))).toEqual([
      'request-type-widened @ body note: type string → string | number',
    ]);
  });

  it("a bound tightened inside one variant is that bound's rule, at the property", () => {
    const tighter = { anyOf: [{ type: 'string', maxLength: 10 }, { type: 'integer' }] };
    const changes = changesOf((d) => note(d, tighter), (d) => note(d, stringOrInteger));
    expect(rulesAt(changes)).toEqual(['request-max-length-decreased @ body note: maxLength 20 → 10']);
    expect(changes[0]?.severity).toBe('breaking');
  });

  it('a response variant added can send what clients were told they would not get: breaking', () => {
    const changes = changesOf((d) => (thing(d).properties.extra = { anyOf: [{ type: 'string' }, { type: 'integer' }] }), (d) => (thing(d).properties.extra = { anyOf: [{ type: 'string' }] }));
    expect(rulesAt(changes)).toEqual(['response-type-changed @ response 200 body extra: type string → string | number']);
  });
});

describe('diffSpecs: one rule per kind of change', () => {
  it.each(cases)('%s at %s', (id, location, edit, before) => {
    const changes = changesOf(edit, before);
    // a path-level parameter or the root security counts once per operation (ShowThing, UpdateThing)
    expect([...new Set(changes.map((c) => `${c.rule} @ ${c.location}`))]).toEqual([`${id} @ ${location}`]);
    expect(changes[0]?.severity).toBe(rules[id].severity);
  });

  it('reports nothing for description, summary and example changes', () => {
    const changes = changesOf((d) => {
      d.info.description = 'Other things.';
      d.paths['/things/{id}'].get.description = 'Shows one thing, now in more words.';
      d.paths['/things/{id}'].get.summary = 'Show';
      d.paths['/things/{id}'].get.responses['200'].content['application/json'].example = { name: 'b', state: 'off' };
      thing(d).properties.name.description = 'The name.';
    });
    expect(changes).toEqual([]);
  });

  it('follows $refs on both sides and names the operation', () => {
    const [change] = changesOf((d) => (thing(d).properties.name.maxLength = 10));
    expect(change).toMatchObject({ rule: 'response-max-length-decreased', operation: 'ShowThing', detail: 'maxLength 255 → 10', severity: 'info' });
  });

  /** Edits beside the cases whose printed lines are pinned too: a parameter's style where its default differs by location. */
  const printedToo: Array<[string, (d: J) => void, ((d: J) => void)?]> = [
    ['a header parameter exploded', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'X-List', in: 'header', explode: true, schema: { type: 'array', items: { type: 'string' } } }), (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'X-List', in: 'header', schema: { type: 'array', items: { type: 'string' } } })],
    ['a cookie parameter not exploded', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'pref', in: 'cookie', explode: false, schema: { type: 'string' } }), (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'pref', in: 'cookie', schema: { type: 'string' } })],
    ['the path parameter in label style', (d) => (d.paths['/things/{id}'].parameters[0].style = 'label')],
    ['a query parameter written with its default style', (d) => (d.paths['/things/{id}'].get.parameters[0].style = 'form')],
    ['a response status added with a long description', (d) => (d.paths['/things/{id}'].get.responses['503'] = { description: `Busy ${'and busier '.repeat(20)}now.  Retry later.` })],
    ['a response status added without a description', (d) => (d.paths['/things/{id}'].get.responses['409'] = {})],
    ['a response status added whose description starts on a new line, with runs of spaces', (d) => (d.paths['/things/{id}'].get.responses['410'] = { description: '\n  Gone  for\tgood.\n  Ask again never.\n' })],
    ['a response status added whose first sentence is 160 characters (kept whole)', (d) => (d.paths['/things/{id}'].get.responses['412'] = { description: `${'x'.repeat(159)}. More.` })],
    ['a path without operations removed', () => {}, (d) => (d.paths['/empty'] = {})],
    ['a path whose operation has no operationId added', (d) => (d.paths['/other'] = { get: { responses: { '200': { description: 'ok' } } } })],
    ['a required header parameter removed', () => {}, (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } })],
    ['two ways in required where none was', (d) => ((d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' }), (d.security = [{ AuthToken: [] }, { Signature: [] }])), (d) => delete d.security],
    ['an alternative of two schemes added, one of them HTTP and one undefined', (d) => ((d.components.securitySchemes.Basic = { type: 'http', scheme: 'basic' }), (d.security = [{ AuthToken: [] }, { Extra: [], Basic: [] }]))],
    ['no credential accepted beside two alternatives', (d) => ((d.components.securitySchemes.Basic = { type: 'http', scheme: 'basic' }), (d.security = [{ AuthToken: [] }, { Basic: [] }, {}])), (d) => ((d.components.securitySchemes.Basic = { type: 'http', scheme: 'basic' }), (d.security = [{ AuthToken: [] }, { Basic: [] }]))],
    ['a response body added in two media types', (d) => (d.paths['/things/{id}'].post.responses['200'].content = { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } })],
    ['a response body in two media types removed', (d) => delete d.paths['/things/{id}'].get.responses['200'].content, (d) => (d.paths['/things/{id}'].get.responses['200'].content['text/plain'] = { schema: { type: 'string' } })],
    ['an enum of two values added to a request property', (d) => (body(d).properties.note.enum = ['x', 'y'])],
  ];

  it('prints every case exactly as the spec owner reads it (diff.lines.txt; after a deliberate change: `npx vitest run test/scripts/diff.test.ts -u`, and review the diff)', async () => {
    const printed = [...cases.map(([id, location, edit, before]) => [`${id} @ ${location}`, edit, before] as const), ...printedToo];
    const text = printed.map(([name, edit, before]) => `# ${name}\n${changesOf(edit, before).map(formatChange).join('\n')}\n`).join('\n');
    await expect(text).toMatchFileSnapshot('./diff.lines.txt');
  });

  it('prints one line per change: severity, operation, location, what changed old → new, rule', () => {
    const [change] = changesOf((d) => (idParam(d).maxLength = 20));
    expect(formatChange(change!)).toBe('breaking  ShowThing  path id: maxLength lowered (or added) on a request value: maxLength 36 → 20  [request-max-length-decreased]');
  });
});

describe('diffSpecs on the SMS contract: the four edits Specmatic called incompatible and the gate once passed', () => {
  const release = (): J => JSON.parse(readFileSync(join(projectRoot, 'spec/releases/3.1.0.json'), 'utf8')) as J;
  const edited = (edit: (d: J) => void): Array<[string, string]> => {
    const after = release();
    edit(after);
    return diffSpecs(release(), after)
      .filter((c) => c.severity === 'breaking')
      .map((c) => [c.rule, c.operation]);
  };

  it.each<[string, (d: J) => void, string]>([
    ['X-Auth-Token renamed inside AuthToken', (d) => (d.components.securitySchemes.AuthToken.name = 'X-Token'), 'security-scheme-changed'],
    ['format: uuid on server_id', (d) => (d.components.parameters.ServerId.schema.format = 'uuid'), 'request-format-added'],
    ['const: success on result', (d) => (d.components.schemas.CommandBody.properties.result.const = 'success'), 'request-const-added'],
    [
      'an allOf that adds a required property to the report body',
      (d) => (d.components.schemas.CommandBody = { allOf: [d.components.schemas.CommandBody, { type: 'object', required: ['agent_version'], properties: { agent_version: { type: 'string' } } }] }),
      'request-property-added-required',
    ],
  ])('%s is breaking', (_what, edit, rule) => {
    const breaking = edited(edit);
    expect(breaking.length).toBeGreaterThan(0);
    expect(breaking.every(([id]) => id === rule)).toBe(true);
  });
});

describe('the rule table', () => {
  // every severity is a decision (rules.ts says why): a change here must be deliberate, and reviewed
  const pinned: Record<string, RuleId[]> = {
    breaking: [
      'request-refused',
      'response-unexpected',
      'operation-removed',
      'path-removed',
      'request-additional-properties-closed',
      'request-body-added-required',
      'request-body-became-required',
      'request-const-added',
      'request-const-changed',
      'request-discriminator-added',
      'request-discriminator-changed',
      'request-enum-added',
      'request-enum-value-removed',
      'request-exclusive-maximum-decreased',
      'request-exclusive-minimum-increased',
      'request-format-added',
      'request-format-changed',
      'request-max-items-decreased',
      'request-max-length-decreased',
      'request-max-properties-decreased',
      'request-maximum-decreased',
      'request-media-type-removed',
      'request-min-items-increased',
      'request-min-length-increased',
      'request-min-properties-increased',
      'request-minimum-increased',
      'request-multiple-of-added',
      'request-multiple-of-changed',
      'request-not-added',
      'request-parameter-added-required',
      'request-parameter-became-required',
      'request-parameter-style-changed',
      'request-pattern-added',
      'request-property-added-required',
      'request-property-became-required',
      'request-property-removed-closed',
      'request-read-only-added',
      'request-type-changed',
      'request-unique-items-added',
      'response-body-removed',
      'response-const-changed',
      'response-discriminator-changed',
      'response-media-type-removed',
      'response-property-became-optional',
      'response-property-removed',
      'response-status-removed',
      'response-type-changed',
      'response-write-only-added',
      'security-added',
      'security-alternative-removed',
      'security-scheme-changed',
    ],
    warning: [
      'request-body-removed',
      'request-not-changed',
      'request-parameter-removed',
      'request-pattern-changed',
      'request-property-removed',
      'response-additional-properties-opened',
      'response-const-removed',
      'response-discriminator-removed',
      'response-enum-removed',
      'response-enum-value-added',
      'response-error-status-removed',
      'response-exclusive-maximum-increased',
      'response-exclusive-minimum-decreased',
      'response-format-changed',
      'response-format-removed',
      'response-header-removed',
      'response-header-schema-changed',
      'response-max-items-increased',
      'response-max-length-increased',
      'response-max-properties-increased',
      'response-maximum-increased',
      'response-min-items-decreased',
      'response-min-length-decreased',
      'response-min-properties-decreased',
      'response-minimum-decreased',
      'response-multiple-of-changed',
      'response-multiple-of-removed',
      'response-not-changed',
      'response-not-removed',
      'response-pattern-changed',
      'response-pattern-removed',
      'response-unique-items-removed',
    ],
    info: [
      'operation-added',
      'path-added',
      'request-additional-properties-opened',
      'request-body-added-optional',
      'request-body-became-optional',
      'request-const-removed',
      'request-discriminator-removed',
      'request-enum-value-added',
      'request-exclusive-maximum-increased',
      'request-exclusive-minimum-decreased',
      'request-format-removed',
      'request-max-items-increased',
      'request-max-length-increased',
      'request-max-properties-increased',
      'request-maximum-increased',
      'request-media-type-added',
      'request-min-items-decreased',
      'request-min-length-decreased',
      'request-min-properties-decreased',
      'request-minimum-decreased',
      'request-multiple-of-removed',
      'request-not-removed',
      'request-parameter-added-optional',
      'request-parameter-became-optional',
      'request-pattern-removed',
      'request-property-added-optional',
      'request-property-became-optional',
      'request-read-only-removed',
      'request-type-widened',
      'request-unique-items-removed',
      'request-write-only-added',
      'request-write-only-removed',
      'response-additional-properties-closed',
      'response-body-added',
      'response-const-added',
      'response-discriminator-added',
      'response-enum-value-removed',
      'response-exclusive-maximum-decreased',
      'response-exclusive-minimum-increased',
      'response-format-added',
      'response-header-added',
      'response-max-items-decreased',
      'response-max-length-decreased',
      'response-max-properties-decreased',
      'response-maximum-decreased',
      'response-media-type-added',
      'response-min-items-increased',
      'response-min-length-increased',
      'response-min-properties-increased',
      'response-minimum-increased',
      'response-multiple-of-added',
      'response-not-added',
      'response-pattern-added',
      'response-property-added',
      'response-property-became-required',
      'response-read-only-added',
      'response-read-only-removed',
      'response-status-added',
      'response-type-narrowed',
      'response-unique-items-added',
      'response-write-only-removed',
      'security-alternative-added',
      'security-removed',
    ],
  };

  it('pins the severity of every rule', () => {
    const actual: Record<string, string[]> = { breaking: [], warning: [], info: [] };
    for (const [id, r] of Object.entries(rules)) actual[r.severity]?.push(id);
    for (const list of [...Object.values(actual), ...Object.values(pinned)]) list.sort();
    expect(actual).toEqual(pinned);
  });
});
