/**
 * Validation against the bundled spec (generated/openapi.json), never hand-copied schemas: which
 * (operation, status) pairs are documented, and whether a response honours its operation's contract.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export type Json = Record<string, unknown>;
export const bundled = JSON.parse(readFileSync(new URL('../generated/openapi.json', import.meta.url), 'utf8')) as Json;

interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  operation: Json;
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Resolves a local $ref ("#/components/...") in the bundled document. */
export function deref<T = Json>(node: unknown): T {
  let current = node as Json;
  while (current && typeof current.$ref === 'string') {
    const parts = current.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = parts.reduce<Json>((acc, key) => acc[key] as Json, bundled);
  }
  return current as T;
}

/** Every operation of the spec. */
export function operations(): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(bundled.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = op as Json;
      out.push({ operationId: String(operation.operationId), method, path, pointer: `#/paths/${escape(path)}/${method}`, operation });
    }
  }
  return out;
}

export function operation(operationId: string): OperationEntry {
  const found = operations().find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the spec`);
  return found;
}

/** The (operation, status) pairs the spec documents. */
export function documentedPairs(): Array<{ operation: string; status: number }> {
  return operations().flatMap((o) => Object.keys(o.operation.responses as Json).map((s) => ({ operation: o.operationId, status: Number(s) })));
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(bundled, 'openapi.json');
const cache = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer of the bundled spec. */
export function schemaAt(pointer: string): ValidateFunction {
  let v = cache.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `openapi.json${pointer}` });
    cache.set(pointer, v);
  }
  return v;
}

/** Problems with `value` against the schema at `pointer`, as "path message" lines (empty when valid). */
export function problems(pointer: string, value: unknown): string[] {
  const v = schemaAt(pointer);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export interface ObservedResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Checks a response against its operation's contract: status documented, JSON content type, body valid
 * for that status, X-Request-Id present and valid. Returns readable problems naming operation and status.
 */
export function contractProblems(operationId: string, res: ObservedResponse): string[] {
  const op = operation(operationId);
  const where = `${operationId} ${res.status}`;
  const responses = op.operation.responses as Json;
  if (!(String(res.status) in responses)) {
    return [`${where}: status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ')}); body: ${res.text.slice(0, 200)}`];
  }
  const out: string[] = [];
  const response = deref<Json>(responses[String(res.status)]);
  const contentType = res.headers.get('content-type') ?? '';
  const media = Object.keys((response.content as Json | undefined) ?? {});
  if (media.length > 0 && !media.some((m) => contentType.startsWith(m))) {
    out.push(`${where}: content type "${contentType}" is not one of ${media.join(', ')}; body starts: ${res.text.slice(0, 120)}`);
  } else if (media.length > 0) {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      out.push(`${where}: body is not JSON: ${res.text.slice(0, 120)}`);
    }
    if (body !== undefined) {
      const responsePointer = `${op.pointer}/responses/${res.status}`;
      const schemaPointer = (responses[String(res.status)] as Json).$ref
        ? `${String((responses[String(res.status)] as Json).$ref)}/content/${escape(media[0] as string)}/schema`
        : `${responsePointer}/content/${escape(media[0] as string)}/schema`;
      for (const p of problems(schemaPointer, body)) out.push(`${where}: body ${p}`);
    }
  }
  for (const [name, header] of Object.entries((response.headers as Json | undefined) ?? {})) {
    const h = deref<Json>(header);
    const value = res.headers.get(name);
    if (value === null) {
      if (h.required) out.push(`${where}: header ${name} is missing`);
      continue;
    }
    const headerPointer = (header as Json).$ref ? `${String((header as Json).$ref)}/schema` : null;
    if (headerPointer) for (const p of problems(headerPointer, value)) out.push(`${where}: header ${name} ${p}`);
  }
  return out;
}
