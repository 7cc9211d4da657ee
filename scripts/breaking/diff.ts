/**
 * diffSpecs(old, new): every change between two bundled OpenAPI 3.1 documents that a rule in rules.ts
 * names, per operation and location. Descriptions, summaries and examples are not compared: they never
 * break a client.
 */
import { LOWER_BOUNDS, UPPER_BOUNDS, rules, type RuleId, type Severity } from './rules.js';
import { deref, HTTP_METHODS, type Json } from '../openapi.js';


export interface Change {
  rule: RuleId;
  severity: Severity;
  /** operationId, or "METHOD /path" when there is none; the path for path-level changes. */
  operation: string;
  /** Where: "path server_id", "header X-Auth-Token", "body result", "response 200 body command_name", "response 404". */
  location: string;
  /** What changed, old → new. */
  detail: string;
}

export const METHODS = HTTP_METHODS;

/** Follows local `$ref`s within `doc` (scripts/openapi.ts): the node itself when it is no reference, {} when one leads nowhere. */
export const derefIn = (doc: Json) => (node: unknown): Json => deref(doc, node) ?? {};
/** The keywords compared as added, changed or removed, with the name their rules use (rules.ts). */
const KEYWORDS = [
  ['format', 'format'],
  ['const', 'const'],
  ['multipleOf', 'multiple-of'],
  ['uniqueItems', 'unique-items'],
  ['not', 'not'],
  ['readOnly', 'read-only'],
  ['writeOnly', 'write-only'],
  ['discriminator', 'discriminator'],
] as const;
type Direction = 'request' | 'response';

/** Compares two bundled documents; changes come out in document order. */
export function diffSpecs(oldDoc: Json, newDoc: Json): Change[] {
  const changes: Change[] = [];
  const emit = (id: RuleId, operation: string, location: string, detail: string): void => {
    changes.push({ rule: id, severity: rules[id].severity, operation, location, detail });
  };
  const o = derefIn(oldDoc);
  const n = derefIn(newDoc);

  const oldPaths = (oldDoc.paths ?? {}) as Json;
  const newPaths = (newDoc.paths ?? {}) as Json;
  for (const path of union(Object.keys(oldPaths), Object.keys(newPaths))) {
    if (!(path in newPaths)) {
      emit('path-removed', path, `path ${path}`, `${operationsOf(o(oldPaths[path])).join(', ') || 'no operations'} → removed`);
      continue;
    }
    if (!(path in oldPaths)) {
      emit('path-added', path, `path ${path}`, `→ ${operationsOf(n(newPaths[path])).join(', ')}`);
      continue;
    }
    const oldItem = o(oldPaths[path]);
    const newItem = n(newPaths[path]);
    for (const method of METHODS.filter((m) => oldItem[m] || newItem[m])) {
      const before = oldItem[method] as Json | undefined;
      const after = newItem[method] as Json | undefined;
      const name = (after?.operationId ?? before?.operationId ?? `${method.toUpperCase()} ${path}`) as string;
      if (!after) emit('operation-removed', name, `${method.toUpperCase()} ${path}`, 'removed');
      else if (!before) emit('operation-added', name, `${method.toUpperCase()} ${path}`, 'added');
      else compareOperation(name, { item: oldItem, op: before }, { item: newItem, op: after });
    }
  }
  return changes;

  function compareOperation(name: string, before: { item: Json; op: Json }, after: { item: Json; op: Json }): void {
    compareSecurity(name, before.op, after.op);
    compareParameters(name, parametersOf(before.item, before.op, o), parametersOf(after.item, after.op, n));
    compareRequestBody(name, before.op.requestBody ? o(before.op.requestBody) : undefined, after.op.requestBody ? n(after.op.requestBody) : undefined);
    compareResponses(name, (before.op.responses ?? {}) as Json, (after.op.responses ?? {}) as Json);
  }

  /**
   * Security as its alternatives (each a set of schemes sent together; no security is the one alternative of
   * no credential). An alternative removed breaks the clients that use it, unless what they send still
   * satisfies one that is left; one added is a new way in unless what it sends was accepted already. No
   * credential refused now is security-added; accepted now, security-removed.
   */
  function compareSecurity(name: string, before: Json, after: Json): void {
    const alternatives = (doc: Json, op: Json): string[][] => {
      const requirements = (op.security ?? doc.security ?? []) as Json[];
      return requirements.length === 0 ? [[]] : requirements.map((req) => Object.keys(req).sort());
    };
    const describe = (doc: Json, scheme: string): string => {
      const s = ((doc.components ?? {}).securitySchemes ?? {})[scheme] as Json | undefined;
      return s?.type === 'apiKey' ? `${scheme} (apiKey in ${s.in} ${s.name})` : scheme;
    };
    const key = (alts: string[][]): string => alts.map((alt) => alt.join(' + ')).join(' | ');
    const label = (doc: Json, alts: string[][]): string => alts.map((alt) => alt.map((s) => describe(doc, s)).join(' + ')).join(' or ');
    const [oldAlts, newAlts] = [alternatives(oldDoc, before), alternatives(newDoc, after)];
    /** Whether a client sending the schemes of `alt` gets in through one of `alts`. */
    const satisfied = (alt: string[], alts: string[][]): boolean => alts.some((a) => a.every((s) => alt.includes(s)));
    for (const alt of oldAlts) {
      if (satisfied(alt, newAlts)) continue;
      if (alt.length === 0) emit('security-added', name, `security ${key(newAlts)}`, `none → ${label(newDoc, newAlts)} required`);
      else emit('security-alternative-removed', name, `security ${key([alt])}`, `${label(oldDoc, [alt])} accepted → refused`);
    }
    for (const alt of newAlts) {
      if (satisfied(alt, oldAlts)) continue;
      if (alt.length === 0) emit('security-removed', name, `security ${key(oldAlts)}`, `${label(oldDoc, oldAlts)} required → not required`);
      else emit('security-alternative-added', name, `security ${key([alt])}`, `→ ${label(newDoc, [alt])} accepted as well`);
    }
    // a scheme both sides use, redefined: what a client sends for it (header, query or cookie, and its name) no longer counts
    const newUsed = new Set(newAlts.flat());
    for (const scheme of new Set(oldAlts.flat())) {
      if (!newUsed.has(scheme)) continue;
      const b = schemeOf(oldDoc, scheme);
      const a = schemeOf(newDoc, scheme);
      if (b !== a) emit('security-scheme-changed', name, `security ${scheme}`, `${b} → ${a}`);
    }
  }

  /** A security scheme as what a client must send: type, location and name (a header's name in lower case: HTTP ignores its case), or HTTP scheme. */
  function schemeOf(doc: Json, scheme: string): string {
    const s = (((doc.components ?? {}).securitySchemes ?? {})[scheme] ?? {}) as Json;
    const name = s.in === 'header' && typeof s.name === 'string' ? s.name.toLowerCase() : s.name;
    return [s.type, s.in, name, s.scheme === undefined ? undefined : String(s.scheme).toLowerCase()].filter((x) => x !== undefined).join(' ');
  }

  function compareParameters(name: string, before: Map<string, Json>, after: Map<string, Json>): void {
    for (const key of union([...before.keys()], [...after.keys()])) {
      const b = before.get(key);
      const a = after.get(key);
      if (!a) emit('request-parameter-removed', name, key, `${(b as Json).required ? 'required' : 'optional'} → removed`);
      else if (!b) emit(a.required ? 'request-parameter-added-required' : 'request-parameter-added-optional', name, key, `→ ${a.required ? 'required' : 'optional'}`);
      else {
        if (!b.required && a.required) emit('request-parameter-became-required', name, key, 'optional → required');
        if (b.required && !a.required) emit('request-parameter-became-optional', name, key, 'required → optional');
        // a parameter's serialization: its style (form in a query or cookie, simple elsewhere, by default) and whether it explodes (form does, by default)
        const style = (p: Json): string => {
          const s = (p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple')) as string;
          return (p.explode ?? s === 'form') ? `${s} explode` : s;
        };
        if (style(b) !== style(a)) emit('request-parameter-style-changed', name, key, `${style(b)} → ${style(a)}`);
        compareSchema(name, 'request', key, b.schema, a.schema);
      }
    }
  }

  function compareRequestBody(name: string, before: Json | undefined, after: Json | undefined): void {
    if (!before && !after) return;
    if (before && !after) return emit('request-body-removed', name, 'body', 'removed');
    if (!before && after) return emit(after.required ? 'request-body-added-required' : 'request-body-added-optional', name, 'body', `→ ${after.required ? 'required' : 'optional'}`);
    const b = before as Json;
    const a = after as Json;
    if (!b.required && a.required) emit('request-body-became-required', name, 'body', 'optional → required');
    if (b.required && !a.required) emit('request-body-became-optional', name, 'body', 'required → optional');
    compareContent(name, 'request', 'body', (b.content ?? {}) as Json, (a.content ?? {}) as Json);
  }

  function compareResponses(name: string, before: Json, after: Json): void {
    for (const status of union(Object.keys(before), Object.keys(after))) {
      if (!(status in after)) {
        emit(status.startsWith('2') ? 'response-status-removed' : 'response-error-status-removed', name, `response ${status}`, 'removed');
        continue;
      }
      if (!(status in before)) {
        const description = firstSentence(String(n(after[status]).description ?? ''));
        emit('response-status-added', name, `response ${status}`, description ? `→ ${description.length > 160 ? `${description.slice(0, 159)}…` : description}` : 'added');
        continue;
      }
      const b = o(before[status]);
      const a = n(after[status]);
      const where = `response ${status}`;
      const bContent = (b.content ?? {}) as Json;
      const aContent = (a.content ?? {}) as Json;
      if (Object.keys(bContent).length === 0 && Object.keys(aContent).length > 0) emit('response-body-added', name, `${where} body`, `no body → ${Object.keys(aContent).join(', ')}`);
      else if (Object.keys(bContent).length > 0 && Object.keys(aContent).length === 0) emit('response-body-removed', name, `${where} body`, `${Object.keys(bContent).join(', ')} → no body`);
      else compareContent(name, 'response', `${where} body`, bContent, aContent);
      const bHeaders = (b.headers ?? {}) as Json;
      const aHeaders = (a.headers ?? {}) as Json;
      for (const h of union(Object.keys(bHeaders), Object.keys(aHeaders))) {
        if (!(h in aHeaders)) emit('response-header-removed', name, `${where} header ${h}`, 'removed');
        else if (!(h in bHeaders)) emit('response-header-added', name, `${where} header ${h}`, 'added');
        else {
          // a header's schema: each change a reader can feel is one warning (a header is a string on the wire)
          const count = changes.length;
          compareSchema(name, 'response', `${where} header ${h}`, o(bHeaders[h]).schema, n(aHeaders[h]).schema);
          for (const c of changes.splice(count)) if (c.severity !== 'info') emit('response-header-schema-changed', name, c.location, `${c.detail} (${c.rule})`);
        }
      }
    }
  }

  function compareContent(name: string, direction: Direction, where: string, before: Json, after: Json): void {
    for (const type of union(Object.keys(before), Object.keys(after))) {
      if (!(type in after)) emit(`${direction}-media-type-removed`, name, `${where} ${type}`, 'removed');
      else if (!(type in before)) emit(`${direction}-media-type-added`, name, `${where} ${type}`, 'added');
      else compareSchema(name, direction, where, (before[type] as Json).schema, (after[type] as Json).schema);
    }
  }

  /**
   * Two schemas of the same place (absent is {}: anything). `comparing`: the pairs being compared further up,
   * so that a recursive schema is compared once around its cycle (what changes deeper changed here).
   */
  function compareSchema(name: string, direction: Direction, where: string, beforeRef: unknown, afterRef: unknown, comparing: Array<[Json, Json]> = []): void {
    const [before, after] = [o(beforeRef), n(afterRef)];
    if (comparing.some(([x, y]) => x === before && y === after)) return;
    const inner: Array<[Json, Json]> = [...comparing, [before, after]];
    const b = withAllOf(before, o);
    const a = withAllOf(after, n);
    const at = (rule: RuleId, detail: string): void => emit(rule, name, where, detail);

    const bTypes = typesOf(b, o);
    const aTypes = typesOf(a, n);
    const lost = [...bTypes].filter((t) => !aTypes.has(t));
    const gained = [...aTypes].filter((t) => !bTypes.has(t));
    const shown = (types: Set<string>): string => (types.size === ANY_TYPE.length ? 'any' : [...types].join(' | '));
    const change = `type ${shown(bTypes)} → ${shown(aTypes)}`;
    if (direction === 'request' && lost.length > 0) at('request-type-changed', change);
    else if (direction === 'request' && gained.length > 0) at('request-type-widened', change);
    if (direction === 'response' && gained.length > 0) at('response-type-changed', change);
    else if (direction === 'response' && lost.length > 0) at('response-type-narrowed', change);

    for (const [keyword, id] of Object.entries(UPPER_BOUNDS)) compareBound(keyword, id, Infinity);
    for (const [keyword, id] of Object.entries(LOWER_BOUNDS)) compareBound(keyword, id, -Infinity);
    /** A bound, where `none` (±Infinity) stands for its absence. */
    function compareBound(keyword: string, id: string, none: number): void {
      const was = typeof b[keyword] === 'number' ? (b[keyword] as number) : none;
      const is = typeof a[keyword] === 'number' ? (a[keyword] as number) : none;
      if (was === is) return;
      const show = (v: number): string => (Number.isFinite(v) ? String(v) : 'none');
      at(`${direction}-${id}-${is > was ? 'increased' : 'decreased'}` as RuleId, `${keyword} ${show(was)} → ${show(is)}`);
    }

    if (b.pattern !== a.pattern) {
      if (b.pattern === undefined) at(`${direction}-pattern-added`, `pattern none → ${a.pattern}`);
      else if (a.pattern === undefined) at(`${direction}-pattern-removed`, `pattern ${b.pattern} → none`);
      else at(`${direction}-pattern-changed`, `pattern ${b.pattern} → ${a.pattern}`);
    }

    for (const [keyword, id] of KEYWORDS) compareKeyword(keyword, id);
    function compareKeyword(keyword: string, id: string): void {
      const show = (v: unknown): string => (v === undefined ? 'none' : JSON.stringify(v));
      // false is a boolean keyword's default; a discriminator counts by the property it names
      const value = (s: Json): unknown => (s[keyword] === false ? undefined : keyword === 'discriminator' && s[keyword] ? s[keyword].propertyName : s[keyword]);
      const [was, is] = [value(b), value(a)];
      if (JSON.stringify(was) === JSON.stringify(is)) return;
      const change = was === undefined ? 'added' : is === undefined ? 'removed' : 'changed';
      at(`${direction}-${id}-${change}` as RuleId, `${keyword} ${show(was)} → ${show(is)}`);
    }

    const bEnum = Array.isArray(b.enum) ? (b.enum as unknown[]).map(String) : undefined;
    const aEnum = Array.isArray(a.enum) ? (a.enum as unknown[]).map(String) : undefined;
    if (bEnum && aEnum) {
      for (const v of aEnum) if (!bEnum.includes(v)) at(`${direction}-enum-value-added`, `enum + ${v}`);
      for (const v of bEnum) if (!aEnum.includes(v)) at(`${direction}-enum-value-removed`, `enum - ${v}`);
    } else if (!bEnum && aEnum && direction === 'request') at('request-enum-added', `any → one of ${aEnum.join(', ')}`);
    else if (bEnum && !aEnum && direction === 'response') at('response-enum-removed', `one of ${bEnum.join(', ')} → any`);

    const closed = (s: Json): boolean => s.additionalProperties === false;
    if (bTypes.has('object') && aTypes.has('object') && closed(b) !== closed(a)) {
      const detail = `additionalProperties ${closed(b) ? 'false' : 'allowed'} → ${closed(a) ? 'false' : 'allowed'}`;
      at(closed(a) ? `${direction}-additional-properties-closed` : `${direction}-additional-properties-opened`, detail);
    }

    const bProps = (b.properties ?? {}) as Json;
    const aProps = (a.properties ?? {}) as Json;
    const bRequired = new Set((b.required ?? []) as string[]);
    const aRequired = new Set((a.required ?? []) as string[]);
    for (const prop of union(Object.keys(bProps), Object.keys(aProps))) {
      const child = where === 'body' || where.endsWith(' body') ? `${where} ${prop}` : `${where}.${prop}`;
      const req = (set: Set<string>): string => (set.has(prop) ? 'required' : 'optional');
      if (!(prop in aProps)) {
        if (direction === 'request') emit(closed(a) ? 'request-property-removed-closed' : 'request-property-removed', name, child, `${req(bRequired)} → removed`);
        else emit('response-property-removed', name, child, `${req(bRequired)} → removed`);
      } else if (!(prop in bProps)) {
        if (direction === 'request') emit(aRequired.has(prop) ? 'request-property-added-required' : 'request-property-added-optional', name, child, `→ ${req(aRequired)}`);
        else emit('response-property-added', name, child, `→ ${req(aRequired)}`);
      } else {
        if (!bRequired.has(prop) && aRequired.has(prop)) emit(`${direction}-property-became-required`, name, child, 'optional → required');
        if (bRequired.has(prop) && !aRequired.has(prop)) emit(`${direction}-property-became-optional`, name, child, 'required → optional');
        compareSchema(name, direction, child, bProps[prop], aProps[prop], inner);
      }
    }

    if (b.items !== undefined || a.items !== undefined) compareSchema(name, direction, `${where}[]`, b.items, a.items, inner);
    // oneOf / anyOf: compare the variants that have the same type (the type sets are compared above)
    const bVariants = variantsByType(b, o);
    const aVariants = variantsByType(a, n);
    for (const [type, variant] of bVariants) {
      const other = aVariants.get(type);
      if (other) compareSchema(name, direction, where, variant, other, inner);
    }
  }
}

/**
 * A schema with its `allOf` members folded in (a value must match them all): their properties, required
 * names and keywords, the schema's own first. An allOf that adds a required property is then seen as one.
 */
function withAllOf(schema: Json, deref: (node: unknown) => Json, within: Json[] = []): Json {
  if (!Array.isArray(schema.allOf) || within.includes(schema)) return schema; // an allOf that reaches itself is folded in once
  const merged: Json = { ...schema, properties: { ...(schema.properties ?? {}) }, required: [...((schema.required ?? []) as string[])] };
  delete merged.allOf;
  for (const member of schema.allOf as unknown[]) {
    const m = withAllOf(deref(member), deref, [...within, schema]);
    for (const [key, value] of Object.entries(m)) {
      if (key === 'properties') Object.assign(merged.properties, { ...(value as Json), ...merged.properties });
      else if (key === 'required') merged.required = [...new Set([...(merged.required as string[]), ...(value as string[])])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

/** The operations of a path item, as "METHOD (operationId)". */
function operationsOf(item: Json): string[] {
  return METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()}${item[m].operationId ? ` (${item[m].operationId})` : ''}`);
}

/** Path-level and operation-level parameters, keyed "in name" (the operation's win). */
function parametersOf(item: Json, op: Json, deref: (node: unknown) => Json): Map<string, Json> {
  const params = new Map<string, Json>();
  for (const p of [...((item.parameters ?? []) as unknown[]), ...((op.parameters ?? []) as unknown[])]) {
    const param = deref(p);
    params.set(`${param.in} ${param.name}`, param);
  }
  return params;
}

/** Every JSON type (integer counts as number): what a schema that says nothing of types allows. */
const ANY_TYPE = ['array', 'boolean', 'null', 'number', 'object', 'string'];
/** The JSON type of a value. */
const typeOfValue = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The JSON types a schema allows: `type` (string or array), the types of its oneOf/anyOf variants, of its const or enum values, or any. */
function typesOf(schema: Json, deref: (node: unknown) => Json): Set<string> {
  if (schema.type !== undefined) return new Set([schema.type as string | string[]].flat().map((t) => (t === 'integer' ? 'number' : t)));
  const variants = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (variants) return new Set(variants.flatMap((v) => [...typesOf(deref(v), deref)]));
  if ('const' in schema) return new Set([typeOfValue(schema.const)]);
  if (Array.isArray(schema.enum)) return new Set((schema.enum as unknown[]).map(typeOfValue));
  return new Set(ANY_TYPE);
}

/** oneOf/anyOf variants by their single type. */
function variantsByType(schema: Json, deref: (node: unknown) => Json): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const v of ((schema.oneOf ?? schema.anyOf ?? []) as unknown[]).map(deref)) {
    const types = typesOf(v, deref);
    if (types.size === 1) map.set([...types][0] as string, v);
  }
  return map;
}

/** The first sentence of a description, on one line. */
function firstSentence(text: string): string {
  return (text.replace(/\s+/g, ' ').trim().split(/(?<=\.) /)[0] as string);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** One line per change: severity, operation, location, what changed (old → new), and the rule. */
export function formatChange(c: Change): string {
  return `${c.severity.padEnd(8)}  ${c.operation}  ${c.location}: ${rules[c.rule].summary}: ${c.detail}  [${c.rule}]`;
}
