/**
 * Renders a contract's route table and handler interface (generated/routes.ts, generated/admin/routes.ts):
 * for each operation its method, path and Express path, and the types of what a handler receives and
 * may answer (every documented 2xx status with its body). createApp mounts the table; a handler map typed
 * with `Handlers` fails `tsc` when an operation lacks a handler, has one the spec lacks, or answers a
 * status the spec does not document.
 */
import { GENERATED_NOTICE } from './bundle.js';
import { located, operationsOf, pointerToken, ROUTED_METHODS, type Json } from './openapi.js';

interface RouteInfo {
  operationId: string;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body: 'required' | 'optional' | 'none';
  successStatuses: number[];
  /** Where each schema the server validates with is in the document (JSON pointers, `$ref`s followed). */
  schemas: { params: Record<string, string>; body: string | null; responses: Record<number, string> };
}

/** Where the JSON schema of a body (a request body or a response, at `pointer`) is, or null when it has no JSON content. */
function jsonSchemaAt(doc: Json, pointer: string): string | null {
  const body = located(doc, pointer);
  return body.node?.content?.['application/json']?.schema ? `${body.pointer}/content/${pointerToken('application/json')}/schema` : null;
}

/** Every operation of a bundled document, in document order. */
export function routesOf(doc: Json): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const { path, method, pointer: opAt, itemPointer: itemAt, item, operation: op } of operationsOf(doc)) {
    if (!ROUTED_METHODS.has(method)) continue;
    const params = [
      ...((item.parameters ?? []) as Json[]).map((_, i) => located(doc, `${itemAt}/parameters/${i}`)),
      ...((op.parameters ?? []) as Json[]).map((_, i) => located(doc, `${opAt}/parameters/${i}`)),
    ].map(({ pointer, node }) => ({ pointer, node: node ?? {} }));
    const requestBody = op.requestBody ? located(doc, `${opAt}/requestBody`).node : undefined;
    const successStatuses = Object.keys(op.responses as Json)
      .map(Number)
      .filter((s) => s >= 200 && s < 300);
    const pathParams = params.filter((p) => p.node.in === 'path');
    out.push({
      operationId: String(op.operationId),
      method,
      path,
      pathParams: pathParams.map((p) => String(p.node.name)),
      queryParams: params.filter((p) => p.node.in === 'query').map((p) => String(p.node.name)),
      body: !requestBody ? 'none' : requestBody.required ? 'required' : 'optional',
      successStatuses,
      schemas: {
        params: Object.fromEntries(pathParams.map((p) => [String(p.node.name), `${p.pointer}/schema`])),
        body: requestBody ? jsonSchemaAt(doc, `${opAt}/requestBody`) : null,
        responses: Object.fromEntries(
          successStatuses.flatMap((s) => {
            const schema = jsonSchemaAt(doc, `${opAt}/responses/${s}`);
            return schema === null ? [] : [[s, schema]];
          }),
        ),
      },
    });
  }
  return out;
}

const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * The path as a regular expression over a request target: its literal segments exactly, each parameter one
 * segment as sent (no '/', and no '%': an encoded one is left to a router that decodes), no query.
 */
const pathPattern = (path: string): string =>
  `^${path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{.+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/%?#]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')}$`;

/** A JSON value as TypeScript source, as the generated table writes its literals. */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || typeof value !== 'object') return String(value);
  const entries = Object.entries(value).map(([key, member]) => `${/^[A-Za-z_$][\w$]*$|^\d+$/.test(key) ? key : literal(key)}: ${literal(member)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** The TypeScript of routes.ts for a bundled document whose types are in ./schema.js. */
export function renderRoutes(doc: Json, contractTitle: string): string {
  const routes = routesOf(doc);
  const op = (r: RouteInfo) => `operations['${r.operationId}']`;
  const lines: string[] = [
    '/**',
    ` * ${GENERATED_NOTICE}`,
    ` * ${contractTitle}: the route table createApp mounts, and the handler interface a server implements.`,
    ' */',
    "import type { operations } from './schema.js';",
    '',
    '/**',
    ' * Every operation: its method, the path as the spec writes it, as Express matches it and as a pattern over a',
    ' * request target (each parameter a named group, unencoded), whether it takes a JSON body, its success statuses, and where',
    ' * the schemas of its path parameters, JSON body and success answers are in the bundled document.',
    ' */',
    'export const routes = {',
    ...routes.map(
      (r) =>
        `  ${r.operationId}: { method: '${r.method}', path: '${r.path}', expressPath: '${expressPath(r.path)}', pathPattern: ${literal(pathPattern(r.path))}, jsonBody: ${r.body !== 'none'}, successStatuses: [${r.successStatuses.join(', ')}], schemas: ${literal(r.schemas)} },`,
    ),
    '} as const;',
    '',
    'export type OperationId = keyof typeof routes;',
    '',
    '/** What a handler of each operation receives: path parameters, query parameters and JSON body, as the spec declares them. */',
    'export interface Requests {',
    ...routes.flatMap((r) => [
      `  ${r.operationId}: {`,
      `    params: ${r.pathParams.length > 0 ? `${op(r)}['parameters']['path']` : 'Record<string, never>'};`,
      `    query: ${r.queryParams.length > 0 ? `NonNullable<${op(r)}['parameters']['query']>` : 'Record<string, never>'};`,
      `    body: ${r.body === 'none' ? 'undefined' : r.body === 'required' ? `${op(r)}['requestBody']['content']['application/json']` : `NonNullable<${op(r)}['requestBody']>['content']['application/json'] | undefined`};`,
      '  };',
    ]),
    '}',
    '',
    '/** What a handler of each operation may answer: one of its documented success statuses, with that status\'s body. */',
    'export interface Responses {',
    ...routes.map(
      (r) => `  ${r.operationId}: ${r.successStatuses.map((s) => `{ status: ${s}; body: ${op(r)}['responses'][${s}]['content']['application/json'] }`).join(' | ')};`,
    ),
    '}',
    '',
    '/** A handler for every operation of the contract, and for nothing else (it may answer at once); `Context` is what the server adds to each request. */',
    'export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Responses[Op] | Promise<Responses[Op]> };',
    '',
  ];
  return lines.join('\n');
}
