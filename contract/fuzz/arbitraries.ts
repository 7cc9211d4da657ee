/**
 * fast-check arbitraries built from the bundled spec's schemas: valid values (enums, bounds, and boundary
 * lengths on purpose), and single mutations that make a request invalid.
 */
import fc from 'fast-check';
import { bundled, deref, type Json } from '../../harness/spec.js';

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
  const alphabet = typeof schema.pattern === 'string' ? patternAlphabet(schema.pattern) : undefined;
  const unit = alphabet ? fc.constantFrom(...alphabet) : fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' });
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

/** Values valid for a schema of the spec. */
export function validValue(node: unknown): fc.Arbitrary<unknown> {
  const schema = deref<Json>(node);
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as unknown[]).map(validValue));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.type === 'string') {
    // the SDKs' string form: escaping grows it, so keep it inside the body limit too
    if (schema.contentMediaType === 'application/json') return jsonObject.map((o) => JSON.stringify(o)).filter((text) => JSON.stringify(text).length < 8000);
    return boundedString(schema);
  }
  if (schema.type === 'object') {
    const props = (schema.properties as Record<string, unknown> | undefined) ?? {};
    if (Object.keys(props).length === 0) return jsonObject;
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) record[k] = validValue(v);
    return fc.record(record, { requiredKeys: (schema.required as string[] | undefined) ?? [] }) as fc.Arbitrary<unknown>;
  }
  if (schema.type === 'integer') return fc.integer();
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
  | { kind: 'extra-field'; field: string; value: unknown }
  | { kind: 'wrong-content-type'; contentType: string }
  | { kind: 'malformed-json'; cut: number }
  | { kind: 'server-id-too-long'; serverId: string }
  | { kind: 'server-id-bad-character'; serverId: string };

const bodyProps = commandBodySchema.properties as Record<string, unknown>;
const required = commandBodySchema.required as string[];
const enumFields = Object.keys(bodyProps).filter((k) => Array.isArray(deref<Json>(bodyProps[k]).enum));
const stringMax = (field: string): number => Number(deref<Json>(bodyProps[field]).maxLength);

/** Values of another type than the field allows (result_detail allows object and string). */
const wrongTypeFor = (field: string): fc.Arbitrary<unknown> =>
  field === 'result_detail' ? fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })) : fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([]));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...required).map((field) => ({ kind: 'missing-field', field }) as const),
  fc.constantFrom(...Object.keys(bodyProps)).chain((field) => wrongTypeFor(field).map((value) => ({ kind: 'wrong-type', field, value }) as const)),
  fc.constantFrom(...enumFields).chain((field) =>
    fc
      .string({ minLength: 0, maxLength: 20 })
      .filter((v) => !(deref<Json>(bodyProps[field]).enum as string[]).includes(v))
      .map((value) => ({ kind: 'outside-enum', field, value }) as const),
  ),
  fc.constantFrom(...enumFields).map((field) => ({ kind: 'over-max-length', field, value: 'X'.repeat(stringMax(field) + 1) }) as const),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => !(k in bodyProps))
    .chain((field) => fc.jsonValue({ maxDepth: 1 }).map((value) => ({ kind: 'extra-field', field, value }) as const)),
  fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x').map((contentType) => ({ kind: 'wrong-content-type', contentType }) as const),
  fc.integer({ min: 1, max: 30 }).map((cut) => ({ kind: 'malformed-json', cut }) as const),
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
