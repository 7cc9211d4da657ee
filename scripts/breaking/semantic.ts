/**
 * The semantic check of check:breaking, which does not depend on naming every keyword: per operation, many
 * requests the old contract accepts (bodies and parameters generated from its schemas by json-schema-faker,
 * what Prism's dynamic mode uses, with a fixed seed) are validated against the new one, and many responses
 * the new one allows against the old one (Ajv, formats asserted). A counterexample is a breaking change,
 * printed with the example. It reports only where the rule table (diff.ts) saw no change, so that a break
 * the rules name is not reported twice; and, like the rules, it lets a response carry properties an old
 * closed schema did not list (clients must tolerate them).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import jsf from 'json-schema-faker';
import { rules } from './rules.js';
import { derefIn, METHODS, type Change } from './diff.js';

type Json = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface SemanticOptions {
  /** Values generated per schema (default 100). */
  samples?: number;
  /** The seed of the generator (default 20261202): the same documents give the same verdict. */
  seed?: number;
}

/** A schema of `doc` checkable and fakeable on its own: the node, with the document's components beside it for its $refs. */
const standalone = (doc: Json, node: unknown): Json => ({ allOf: [node], components: doc.components ?? {} });

/** A small deterministic random source (a linear congruential generator) for json-schema-faker. */
function seeded(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/** `samples` values of `schema`, generated deterministically in one call (json-schema-faker walks the components once); none when it cannot make them. */
function generate(schema: Json, samples: number, seed: number): unknown[] {
  jsf.option({ random: seeded(seed), alwaysFakeOptionals: false, optionalsProbability: 0.5, useExamplesValue: false, failOnInvalidTypes: false, failOnInvalidFormat: false, maxItems: 2, maxLength: 64, fillProperties: false });
  // json-schema-faker resolves $refs in place: give it a copy, never the contract being checked (a release once wrote the mutated one)
  const { components, ...value } = structuredClone(schema);
  // one object with a property per sample (an array of them would be capped by maxItems, meant for the schema's own arrays)
  const keys = Array.from({ length: samples }, (_, i) => `s${i}`);
  try {
    const out = jsf.generate({ type: 'object', required: keys, properties: Object.fromEntries(keys.map((k) => [k, value])), components } as never) as Record<string, unknown>;
    return keys.map((k) => out[k]);
  } catch {
    return [];
  }
}

/** The JSON schema of a content map, if it has one. */
const jsonSchema = (content: Json | undefined): unknown => content?.['application/json']?.schema;

export function semanticChanges(oldDoc: Json, newDoc: Json, seen: Change[], options: SemanticOptions = {}): Change[] {
  const samples = options.samples ?? 100;
  const seed = options.seed ?? 20261202;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const o = derefIn(oldDoc);
  const n = derefIn(newDoc);
  const oldVersion = String(oldDoc.info?.version ?? 'the old contract');
  const out: Change[] = [];
  const already = (operation: string, prefix: string): boolean => seen.some((c) => c.operation === operation && c.location.startsWith(prefix));

  /** The first value from `from`'s schema that `to`'s schema refuses, with why; undefined when every one passes. */
  const counterexample = (fromDoc: Json, fromSchema: unknown, toDoc: Json, toSchema: unknown, tolerateExtra: boolean, salt: number) => {
    let validate: ValidateFunction;
    let source: ValidateFunction;
    try {
      validate = ajv.compile(standalone(toDoc, toSchema));
      source = ajv.compile(standalone(fromDoc, fromSchema));
    } catch {
      return undefined; // a schema Ajv cannot compile is the rules' and the linter's business
    }
    for (const value of generate(standalone(fromDoc, fromSchema), samples, seed + salt)) {
      // a value its own schema refuses is the generator's mistake (json-schema-faker misses some patterns and formats), not a counterexample
      if (validate(value) || !source(value)) continue;
      const errors = (validate.errors ?? []).filter((e) => !(tolerateExtra && (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')));
      // an if's failure comes with its then-part's, which says why
      const real = errors.filter((e) => e.keyword !== 'if');
      if (real.length === 0) continue;
      return { value, why: real.slice(0, 2).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ') };
    }
    return undefined;
  };

  const emit = (id: 'request-refused' | 'response-unexpected', operation: string, location: string, found: { value: unknown; why: string }): void => {
    const shown = JSON.stringify(found.value);
    const example = shown.length > 200 ? `${shown.slice(0, 199)}…` : shown;
    const detail = id === 'request-refused' ? `this request was valid in ${oldVersion} and is refused now: ${location} ${example} (${found.why})` : `this response is allowed now and was not in ${oldVersion}: ${location} ${example} (${found.why})`;
    out.push({ rule: id, severity: rules[id].severity, operation, location, detail });
  };

  let salt = 0;
  for (const [path, oldItemRef] of Object.entries((oldDoc.paths ?? {}) as Json)) {
    const oldItem = o(oldItemRef);
    const newItem = n((newDoc.paths ?? {})[path]); // {} when the path is gone: no operation to compare
    for (const method of METHODS) {
      const before = oldItem[method] as Json | undefined;
      const after = newItem[method] as Json | undefined;
      if (!before || !after) continue;
      const operation = String(after.operationId ?? before.operationId ?? `${method.toUpperCase()} ${path}`);
      salt += 1000;

      // parameters both sides have, by "in name"
      const params = (doc: Json, item: Json, op: Json): Map<string, Json> =>
        new Map([...((item.parameters ?? []) as unknown[]), ...((op.parameters ?? []) as unknown[])].map(derefIn(doc)).map((p) => [`${p.in} ${p.name}`, p]));
      const newParams = params(newDoc, newItem, after);
      for (const [key, p] of params(oldDoc, oldItem, before)) {
        const q = newParams.get(key);
        if (!q || !p.schema || !q.schema || already(operation, key)) continue;
        const found = counterexample(oldDoc, p.schema, newDoc, q.schema, false, (salt += 1));
        if (found) emit('request-refused', operation, key, found);
      }

      // the JSON request body
      const oldBody = jsonSchema(o(before.requestBody).content);
      const newBody = jsonSchema(n(after.requestBody).content);
      if (oldBody && newBody && !already(operation, 'body')) {
        const found = counterexample(oldDoc, oldBody, newDoc, newBody, false, (salt += 1));
        if (found) emit('request-refused', operation, 'body', found);
      }

      // JSON responses both sides document: what the new one allows, against the old one
      for (const [status, oldResponse] of Object.entries((before.responses ?? {}) as Json)) {
        const where = `response ${status}`;
        const a = jsonSchema(o(oldResponse).content);
        const b = jsonSchema(n((after.responses ?? {})[status]).content);
        if (!a || !b || already(operation, where)) continue;
        const found = counterexample(newDoc, b, oldDoc, a, true, (salt += 1));
        if (found) emit('response-unexpected', operation, `${where} body`, found);
      }
    }
  }
  return out;
}
