/**
 * Renders a contract's route table and handler interface (generated/routes.ts, generated/admin/routes.ts):
 * for each operation its method, path and Express path, and the types of what a handler receives and
 * may answer (every documented 2xx status with its body). createApp mounts the table; a handler map typed
 * with `Handlers` fails `tsc` when an operation lacks a handler, has one the spec lacks, or answers a
 * status the spec does not document.
 */
import { GENERATED_NOTICE } from './bundle.js';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface RouteInfo {
  operationId: string;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body: 'required' | 'optional' | 'none';
  successStatuses: number[];
}

function deref(doc: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json>((acc, key) => acc[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current;
}

/** Every operation of a bundled document, in document order. */
export function routesOf(doc: Json): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
    const item = deref(doc, rawItem as Json);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = [...((item.parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])].map((p) => deref(doc, p));
      const requestBody = op.requestBody ? deref(doc, op.requestBody as Json) : undefined;
      out.push({
        operationId: String(op.operationId),
        method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => String(p.name)),
        queryParams: params.filter((p) => p.in === 'query').map((p) => String(p.name)),
        body: !requestBody ? 'none' : requestBody.required ? 'required' : 'optional',
        successStatuses: Object.keys(op.responses as Json)
          .map(Number)
          .filter((s) => s >= 200 && s < 300),
      });
    }
  }
  return out;
}

const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

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
    '/** Every operation: its method, the path as the spec writes it and as Express matches it, and whether it takes a JSON body. */',
    'export const routes = {',
    ...routes.map(
      (r) =>
        `  ${r.operationId}: { method: '${r.method}', path: '${r.path}', expressPath: '${expressPath(r.path)}', jsonBody: ${r.body !== 'none'}, successStatuses: [${r.successStatuses.join(', ')}] },`,
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
    '/** A handler for every operation of the contract, and for nothing else; `Context` is what the server adds to each request. */',
    'export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Promise<Responses[Op]> };',
    '',
  ];
  return lines.join('\n');
}
