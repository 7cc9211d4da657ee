/**
 * fast-check arbitraries built from the bundled contracts' schemas: valid values (enums, bounds, and
 * boundary lengths on purpose), and single mutations that make a request invalid.
 */
import fc from 'fast-check';
import { bundled, deref, type ContractName, type Json } from '../../harness/spec.js';

const components = (bundled.components as Json) as { schemas: Record<string, Json>; parameters: Record<string, Json> };
export const serverIdSchema = components.parameters.ServerId!.schema as Json;
export const commandBodySchema = components.schemas.CommandBody as Json;

/** The characters a `^[...]+$` pattern allows. */
function patternAlphabet(pattern: string): string[] | undefined {
  const m = /^\^\[([^\]]+)\]\+\$$/.exec(pattern);
  if (!m) return undefined;
  const out: string[] = [];
  const body = m[1] as string;
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) out.push(String.fromCharCode(c));
      i += 2;
    } else out.push(body[i] as string);
  }
  return out;
}

/** A length in [min, max], picking the bounds themselves often. */
export const boundaryLength = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(min) }, { weight: 2, arbitrary: fc.constant(max) }, { weight: 3, arbitrary: fc.integer({ min, max }) });

/** Strings valid for a string schema (minLength, maxLength, pattern). */
export function boundedString(schema: Json): fc.Arbitrary<string> {
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? 64);
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  const alphabet = pattern ? patternAlphabet(pattern) : undefined;
  // maxLength counts code points (JSON Schema), so one unit is one code point: any of them, or those a
  // one-class pattern (`^[^\x00-\x1F]+$`) admits
  const anyCodePoint = fc.string({ minLength: 1, maxLength: 1, unit: 'binary' });
  const unit = alphabet ? fc.constantFrom(...alphabet) : pattern ? anyCodePoint.filter((c) => new RegExp(pattern, 'u').test(c)) : anyCodePoint;
  return boundaryLength(min, max).chain((n) => fc.array(unit, { minLength: n, maxLength: n }).map((a) => a.join('')));
}

/** Nested `depth` levels deep (arrays, or objects with one key), built from text: no recursion here. */
const nested = (depth: number, kind: 'array' | 'object'): unknown =>
  kind === 'array' ? JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) : JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** Deep (up to 2,000 levels) and wide (up to 600 keys) objects, inside the body limit. */
const deepOrWide: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.integer({ min: 1, max: 2000 }).map((d) => ({ deep: nested(d, 'array') })),
  fc.integer({ min: 1, max: 700 }).map((d) => ({ deep: nested(d, 'object') })),
  fc.integer({ min: 50, max: 600 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
);

/** A free-form JSON object small enough for the body limit: small ones mostly, deep and wide ones too. */
export const jsonObject: fc.Arbitrary<Record<string, unknown>> = fc
  .oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'msg', '')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }) },
    { weight: 1, arbitrary: deepOrWide },
  )
  .filter((o) => JSON.stringify(o).length < 6000);

/** Values valid for a schema of a contract (the Agent's by default). */
export function validValue(node: unknown, contract: ContractName = 'agent'): fc.Arbitrary<unknown> {
  const schema = deref<Json>(node, contract);
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as unknown[]).map((n) => validValue(n, contract)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.type === 'string') {
    if (schema.pattern !== undefined || schema.maxLength !== undefined) return boundedString(schema);
    // free text, which may carry JSON (result_detail's string form: the SDKs send a JSON object in it);
    // escaping grows it, so keep it inside the body limit too
    return fc.oneof(boundedString(schema), jsonObject.map((o) => JSON.stringify(o)).filter((text) => JSON.stringify(text).length < 8000));
  }
  if (schema.type === 'object') {
    const props = (schema.properties as Record<string, unknown> | undefined) ?? {};
    if (Object.keys(props).length === 0) return jsonObject;
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) record[k] = validValue(v, contract);
    return fc.record(record, { requiredKeys: (schema.required as string[] | undefined) ?? [] }) as fc.Arbitrary<unknown>;
  }
  if (schema.type === 'array') {
    const items = validValue(schema.items, contract);
    return boundaryLength(Number(schema.minItems ?? 0), Math.min(Number(schema.maxItems ?? 5), 5)).chain((n) => fc.array(items, { minLength: n, maxLength: n }));
  }
  if (schema.type === 'integer') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -(2 ** 31);
    const max = typeof schema.maximum === 'number' ? schema.maximum : 2 ** 31;
    return fc.oneof(fc.constant(min), fc.constant(max), fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }));
  }
  if (schema.type === 'boolean') return fc.boolean();
  throw new Error(`no arbitrary for schema ${JSON.stringify(schema).slice(0, 80)}`);
}

export const validServerId = boundedString(serverIdSchema);
export const validCommandBody = validValue(commandBodySchema) as fc.Arbitrary<Record<string, unknown>>;

/** One way to make a request invalid, applied to a valid one. */
export type Mutation =
  | { kind: 'missing-field'; field: string }
  | { kind: 'wrong-type'; field: string; value: unknown }
  | { kind: 'outside-enum'; field: string; value: string }
  | { kind: 'over-max-length'; field: string; value: string }
  | { kind: 'over-maximum'; field: string; value: number }
  | { kind: 'extra-field'; field: string; value: unknown }
  | { kind: 'wrong-content-type'; contentType: string }
  | { kind: 'malformed-json'; cut: number }
  | { kind: 'server-id-too-long'; serverId: string }
  | { kind: 'server-id-bad-character'; serverId: string };

/** The types a schema allows (a oneOf's branches' types; an object with no properties is any object). */
function allowedTypes(node: unknown, contract: ContractName): Set<string> {
  const schema = deref<Json>(node, contract);
  if (Array.isArray(schema.oneOf)) return new Set((schema.oneOf as unknown[]).flatMap((n) => [...allowedTypes(n, contract)]));
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  return new Set([String(schema.type ?? (Array.isArray(schema.enum) ? 'string' : 'any'))]);
}

/** Values of another type than the field allows. */
function wrongTypeFor(node: unknown, contract: ContractName): fc.Arbitrary<unknown> {
  const allowed = allowedTypes(node, contract);
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['integer', fc.integer()],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['object', fc.constant({})],
    ['array', fc.array(fc.integer(), { maxLength: 3 })],
    ['string', fc.constantFrom('5', 'x', '')],
    ['number', fc.constant(1.5)],
  ];
  return fc.oneof(...candidates.filter(([type]) => !allowed.has(type) && !(type === 'integer' && allowed.has('number'))).map(([, a]) => a));
}

/** Every single mutation of a JSON body of `schema` (an object schema of `contract`) that makes it invalid. */
export function bodyMutation(schema: Json, contract: ContractName): fc.Arbitrary<Mutation> {
  const props = schema.properties as Record<string, unknown>;
  const required = (schema.required as string[] | undefined) ?? [];
  const field = (name: string): Json => deref<Json>(props[name], contract);
  const enumFields = Object.keys(props).filter((k) => Array.isArray(field(k).enum));
  const boundedStrings = Object.keys(props).filter((k) => field(k).type === 'string' && typeof field(k).maxLength === 'number');
  const bounded = [...new Set([...enumFields.filter((k) => typeof field(k).maxLength === 'number'), ...boundedStrings])];
  const capped = Object.keys(props).filter((k) => field(k).type === 'integer' && typeof field(k).maximum === 'number');
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc.constantFrom(...Object.keys(props)).chain((f) => wrongTypeFor(props[f], contract).map((value) => ({ kind: 'wrong-type', field: f, value }) as const)),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !(k in props))
      .chain((f) => fc.jsonValue({ maxDepth: 1 }).map((value) => ({ kind: 'extra-field', field: f, value }) as const)),
    fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x').map((contentType) => ({ kind: 'wrong-content-type', contentType }) as const),
    fc.integer({ min: 1, max: 30 }).map((cut) => ({ kind: 'malformed-json', cut }) as const),
  ];
  if (required.length > 0) options.push(fc.constantFrom(...required).map((f) => ({ kind: 'missing-field', field: f }) as const));
  if (enumFields.length > 0) {
    options.push(
      fc.constantFrom(...enumFields).chain((f) =>
        fc
          .string({ minLength: 0, maxLength: 20 })
          .filter((v) => !(field(f).enum as string[]).includes(v))
          .map((value) => ({ kind: 'outside-enum', field: f, value }) as const),
      ),
    );
  }
  if (bounded.length > 0) options.push(fc.constantFrom(...bounded).map((f) => ({ kind: 'over-max-length', field: f, value: 'X'.repeat(Number(field(f).maxLength) + 1) }) as const));
  if (capped.length > 0) options.push(fc.constantFrom(...capped).map((f) => ({ kind: 'over-maximum', field: f, value: Number(field(f).maximum) + 1 }) as const));
  return fc.oneof(...options);
}

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  bodyMutation(commandBodySchema, 'agent'),
  fc
    .integer({ min: Number(serverIdSchema.maxLength) + 1, max: 80 })
    .chain((n) => fc.string({ minLength: n, maxLength: n, unit: fc.constantFrom('a', 'B', '7', '-', '_') }))
    .map((serverId) => ({ kind: 'server-id-too-long', serverId }) as const),
  fc
    .tuple(validServerId, fc.constantFrom('.', '..', ' ', '%', '/', '\u0000', '\u007f', '\n', 'é', '<', '"', '?x=1'.slice(0, 1)))
    .map(([id, bad]) => ({ kind: 'server-id-bad-character', serverId: `${id.slice(0, 30)}${bad}` }) as const),
);

export interface RawRequest {
  serverId: string;
  body: string;
  contentType: string;
}

/** Applies a mutation to a valid request. */
export function applyMutation(m: Mutation, serverId: string, body: Record<string, unknown>): RawRequest {
  const copy: Record<string, unknown> = { ...body };
  const req: RawRequest = { serverId, body: '', contentType: 'application/json' };
  switch (m.kind) {
    case 'missing-field':
      delete copy[m.field];
      break;
    case 'wrong-type':
    case 'outside-enum':
    case 'over-max-length':
    case 'over-maximum':
      copy[m.field] = m.value;
      break;
    case 'extra-field':
      Object.defineProperty(copy, m.field, { value: m.value, enumerable: true, configurable: true, writable: true });
      break;
    case 'wrong-content-type':
      req.contentType = m.contentType;
      break;
    case 'server-id-too-long':
    case 'server-id-bad-character':
      req.serverId = m.serverId;
      break;
    default:
      break;
  }
  req.body = JSON.stringify(copy);
  if (m.kind === 'malformed-json') req.body = req.body.slice(0, Math.max(1, req.body.length - m.cut)).replace(/[}\]]$/, '');
  return req;
}
