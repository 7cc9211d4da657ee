/**
 * Validation against the bundled contracts (generated/openapi.json, the Agent's; generated/admin/openapi.json,
 * the operator's), never hand-copied schemas: which (operation, status) pairs are documented, and whether a
 * response honours its operation's contract. Operation IDs are unique across both contracts.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { deref as derefIn, operationsOf, pointerToken, ROUTED_METHODS } from '../scripts/openapi.js';

export type Json = Record<string, unknown>;
export type ContractName = 'agent' | 'admin';
const read = (path: string): Json => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Json;
/** The bundled Agent contract. */
export const bundled = read('../generated/openapi.json');
/** The bundled admin contract. */
export const adminBundled = read('../generated/admin/openapi.json');
const documents: Record<ContractName, Json> = { agent: bundled, admin: adminBundled };
/** The name each document is known by to ajv (schema pointers are relative to it). */
const schemaIds: Record<ContractName, string> = { agent: 'openapi.json', admin: 'admin.json' };

interface OperationEntry {
  contract: ContractName;
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  operation: Json;
}


/** Resolves a local $ref ("#/components/...") in a bundled document (the Agent's by default). */
export function deref<T = Json>(node: unknown, contract: ContractName = 'agent'): T {
  return derefIn(documents[contract], node) as T;
}

/** Every operation of one contract (the Agent's by default), or of both. */
export function operations(contract: ContractName | 'both' = 'agent'): OperationEntry[] {
  return (contract === 'both' ? (['agent', 'admin'] as const) : [contract]).flatMap((name) =>
    operationsOf(documents[name])
      .filter(({ method }) => ROUTED_METHODS.has(method))
      .map(({ method, path, pointer, operation }) => ({ contract: name, operationId: String(operation.operationId), method, path, pointer, operation })),
  );
}

/** An operation of either contract, by its operationId. */
export function operation(operationId: string): OperationEntry {
  const found = operations('both').find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the contracts`);
  return found;
}

/** The (operation, status) pairs both contracts document. */
export function documentedPairs(): Array<{ operation: string; status: number }> {
  return operations('both').flatMap((o) => Object.keys(o.operation.responses as Json).map((s) => ({ operation: o.operationId, status: Number(s) })));
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(bundled, schemaIds.agent);
ajv.addSchema(adminBundled, schemaIds.admin);
const cache = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer of a bundled contract (the Agent's by default). */
export function schemaAt(pointer: string, contract: ContractName = 'agent'): ValidateFunction {
  const id = `${schemaIds[contract]}${pointer}`;
  let v = cache.get(id);
  if (!v) {
    v = ajv.compile({ $ref: id });
    cache.set(id, v);
  }
  return v;
}

/** Problems with `value` against the schema at `pointer` of a contract, as "path message" lines (empty when valid). */
export function problems(pointer: string, value: unknown, contract: ContractName = 'agent'): string[] {
  const v = schemaAt(pointer, contract);
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
  const response = deref<Json>(responses[String(res.status)], op.contract);
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
        ? `${String((responses[String(res.status)] as Json).$ref)}/content/${pointerToken(media[0] as string)}/schema`
        : `${responsePointer}/content/${pointerToken(media[0] as string)}/schema`;
      for (const p of problems(schemaPointer, body, op.contract)) out.push(`${where}: body ${p}`);
    }
  }
  for (const [name, header] of Object.entries((response.headers as Json | undefined) ?? {})) {
    const h = deref<Json>(header, op.contract);
    const value = res.headers.get(name);
    if (value === null) {
      if (h.required) out.push(`${where}: header ${name} is missing`);
      continue;
    }
    const headerPointer = (header as Json).$ref ? `${String((header as Json).$ref)}/schema` : null;
    if (headerPointer) for (const p of problems(headerPointer, value, op.contract)) out.push(`${where}: header ${name} ${p}`);
  }
  return out;
}
