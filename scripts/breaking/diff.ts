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
    for (const method of METHODS) {
      const before = oldItem[method] as Json | undefined;
      const after = newItem[method] as Json | undefined;
      const name = (after?.operationId ?? before?.operationId ?? `${method.toUpperCase()} ${path}`) as string;
      if (before && !after) emit('operation-removed', name, `${method.toUpperCase()} ${path}`, 'removed');
      else if (!before && after) emit('operation-added', name, `${method.toUpperCase()} ${path}`, 'added');
      else if (before && after) compareOperation(name, { item: oldItem, op: before }, { item: newItem, op: after });
    }
  }
  return changes;

  function compareOperation(name: string, before: { item: Json; op: Json }, after: { item: Json; op: Json }): void {
    compareSecurity(name, before.op, after.op);
    compareParameters(name, parametersOf(before.item, before.op, o), parametersOf(after.item, after.op, n));
    compareRequestBody(name, before.op.requestBody ? o(before.op.requestBody) : undefined, after.op.requestBody ? n(after.op.requestBody) : undefined);
    compareResponses(name, (before.op.responses ?? {}) as Json, (after.op.responses ?? {}) as Json);
  }

  function compareSecurity(name: string, before: Json, after: Json): void {
    const required = (doc: Json, op: Json): Set<string> => {
      const alternatives = ((op.security ?? doc.security ?? []) as Json[]).map((req) => Object.keys(req));
      if (alternatives.length === 0 || alternatives.some((a) => a.length === 0)) return new Set();
      return new Set(alternatives.reduce((acc, a) => acc.filter((s) => a.includes(s))));
    };
    const describe = (doc: Json, scheme: string): string => {
      const s = ((doc.components ?? {}).securitySchemes ?? {})[scheme] as Json | undefined;
      return s?.type === 'apiKey' ? `${scheme} (apiKey in ${s.in} ${s.name})` : scheme;
    };
    const was = required(oldDoc, before);
    const is = required(newDoc, after);
    const used = (doc: Json, op: Json): Set<string> => new Set(((op.security ?? doc.security ?? []) as Json[]).flatMap((req) => Object.keys(req)));
    const newUsed = used(newDoc, after);
    const oldUsed = used(oldDoc, before);
    // a scheme required now that no alternative had before (one that was an alternative: its removal is reported below)
    for (const s of is) if (!was.has(s) && !oldUsed.has(s)) emit('security-added', name, `security ${s}`, `none → ${describe(newDoc, s)} required`);
    // a scheme no longer required but still one of the ways in: an alternative was added (reported below), not a removal
    for (const s of was) if (!is.has(s) && !newUsed.has(s)) emit('security-removed', name, `security ${s}`, `${describe(oldDoc, s)} required → not required`);
    // alternatives (each a set of schemes sent together): one added is a new way in; one removed breaks the clients that use it,
    // unless what they send still satisfies another alternative
    // (an empty alternative, no credential, is reported by security-added and security-removed)
    const alternatives = (doc: Json, op: Json): string[][] => ((op.security ?? doc.security ?? []) as Json[]).map((req) => Object.keys(req).sort());
    const [oldAlts, newAlts] = [alternatives(oldDoc, before), alternatives(newDoc, after)];
    const key = (alt: string[]): string => alt.join(' + ');
    const label = (doc: Json, alt: string[]): string => alt.map((s) => describe(doc, s)).join(' + ');
    if (oldAlts.length > 0 && newAlts.length > 0 && oldAlts.every((a) => a.length > 0) && newAlts.every((a) => a.length > 0)) {
      const oldKeys = new Set(oldAlts.map(key));
      const newKeys = new Set(newAlts.map(key));
      for (const alt of newAlts) if (!oldKeys.has(key(alt))) emit('security-alternative-added', name, `security ${key(alt)}`, `→ ${label(newDoc, alt)} accepted as well`);
      for (const alt of oldAlts) {
        const stillIn = newAlts.some((a) => a.every((s) => alt.includes(s)));
        if (!newKeys.has(key(alt)) && !stillIn) emit('security-alternative-removed', name, `security ${key(alt)}`, `${label(oldDoc, alt)} accepted → refused`);
      }
    }
    // a scheme both sides use, redefined: what a client sends for it (header, query or cookie, and its name) no longer counts
    for (const scheme of used(oldDoc, before)) {
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
      if (!a) emit('request-parameter-removed', name, key, `${b?.required ? 'required' : 'optional'} → removed`);
      else if (!b) emit(a.required ? 'request-parameter-added-required' : 'request-parameter-added-optional', name, key, `→ ${a.required ? 'required' : 'optional'}`);
      else {
        if (!b.required && a.required) emit('request-parameter-became-required', name, key, 'optional → required');
        if (b.required && !a.required) emit('request-parameter-became-optional', name, key, 'required → optional');
        const style = (p: Json): string => `${p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple')}${(p.explode ?? (p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple')) === 'form') ? ' explode' : ''}`;
        if (style(b) !== style(a)) emit('request-parameter-style-changed', name, key, `${style(b)} → ${style(a)}`);
        compareSchema(name, 'request', key, b.schema, a.schema, 0);
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
        const description = String(n(after[status]).description ?? '').replace(/\s+/g, ' ').split(/(?<=\.) /)[0]?.trim() ?? '';
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
          compareSchema(name, 'response', `${where} header ${h}`, o(bHeaders[h]).schema, n(aHeaders[h]).schema, 0);
          for (const c of changes.splice(count)) if (c.severity !== 'info') emit('response-header-schema-changed', name, c.location, `${c.detail} (${c.rule})`);
        }
      }
    }
  }

  function compareContent(name: string, direction: Direction, where: string, before: Json, after: Json): void {
    for (const type of union(Object.keys(before), Object.keys(after))) {
      if (!(type in after)) emit(`${direction}-media-type-removed`, name, `${where} ${type}`, 'removed');
      else if (!(type in before)) emit(`${direction}-media-type-added`, name, `${where} ${type}`, 'added');
      else compareSchema(name, direction, where, (before[type] as Json).schema, (after[type] as Json).schema, 0);
    }
  }

  function compareSchema(name: string, direction: Direction, where: string, beforeRef: unknown, afterRef: unknown, depth: number): void {
    if (depth > 16 || beforeRef === undefined || afterRef === undefined) return;
    const b = withAllOf(o(beforeRef), o);
    const a = withAllOf(n(afterRef), n);
    const at = (rule: RuleId, detail: string): void => emit(rule, name, where, detail);

    const bTypes = typesOf(b, o);
    const aTypes = typesOf(a, n);
    if (bTypes.size > 0 && aTypes.size > 0) {
      const lost = [...bTypes].filter((t) => !aTypes.has(t));
      const gained = [...aTypes].filter((t) => !bTypes.has(t));
      const change = `type ${[...bTypes].join(' | ')} → ${[...aTypes].join(' | ')}`;
      if (direction === 'request' && lost.length > 0) at('request-type-changed', change);
      else if (direction === 'request' && gained.length > 0) at('request-type-widened', change);
      if (direction === 'response' && gained.length > 0) at('response-type-changed', change);
      else if (direction === 'response' && lost.length > 0) at('response-type-narrowed', change);
    }

    for (const [keyword, id] of Object.entries(UPPER_BOUNDS)) compareBound(keyword, id, 'upper');
    for (const [keyword, id] of Object.entries(LOWER_BOUNDS)) compareBound(keyword, id, 'lower');
    function compareBound(keyword: string, id: string, kind: 'upper' | 'lower'): void {
      const none = kind === 'upper' ? Infinity : -Infinity;
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
        compareSchema(name, direction, child, bProps[prop], aProps[prop], depth + 1);
      }
    }

    if (b.items !== undefined && a.items !== undefined) compareSchema(name, direction, `${where}[]`, b.items, a.items, depth + 1);
    // oneOf / anyOf: compare the variants that have the same type (the type sets are compared above)
    const bVariants = variantsByType(b, o);
    const aVariants = variantsByType(a, n);
    for (const [type, variant] of bVariants) {
      const other = aVariants.get(type);
      if (other && (bVariants.size > 1 || aVariants.size > 1)) compareSchema(name, direction, where, variant, other, depth + 1);
    }
  }
}

/**
 * A schema with its `allOf` members folded in (a value must match them all): their properties, required
 * names and keywords, the schema's own first. An allOf that adds a required property is then seen as one.
 */
function withAllOf(schema: Json, deref: (node: unknown) => Json, depth = 0): Json {
  if (!Array.isArray(schema.allOf) || depth > 8) return schema;
  const merged: Json = { ...schema, properties: { ...(schema.properties ?? {}) }, required: [...((schema.required ?? []) as string[])] };
  delete merged.allOf;
  for (const member of schema.allOf as unknown[]) {
    const m = withAllOf(deref(member), deref, depth + 1);
    for (const [key, value] of Object.entries(m)) {
      if (key === 'properties') Object.assign(merged.properties, { ...(value as Json), ...merged.properties });
      else if (key === 'required') merged.required = [...new Set([...(merged.required as string[]), ...(value as string[])])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(merged.properties).length === 0) delete merged.properties;
  if ((merged.required as string[]).length === 0) delete merged.required;
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

/** The JSON types a schema allows: `type` (string or array), or the types of its oneOf/anyOf variants. */
function typesOf(schema: Json, deref: (node: unknown) => Json): Set<string> {
  if (typeof schema.type === 'string') return new Set([schema.type === 'integer' ? 'number' : schema.type]);
  if (Array.isArray(schema.type)) return new Set((schema.type as string[]).map((t) => (t === 'integer' ? 'number' : t)));
  const variants = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (!variants) return new Set();
  return new Set(variants.flatMap((v) => [...typesOf(deref(v), deref)]));
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

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** One line per change: severity, operation, location, what changed (old → new), and the rule. */
export function formatChange(c: Change): string {
  return `${c.severity.padEnd(8)}  ${c.operation}  ${c.location}: ${rules[c.rule].summary}: ${c.detail}  [${c.rule}]`;
}
