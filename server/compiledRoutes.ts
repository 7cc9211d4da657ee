/**
 * A generated route table compiled once, when the server is composed, against its bundled contract (as
 * Fastify compiles a route's validators when the route is registered): each operation's path matcher and
 * the validators of its path parameters, its JSON body and its success answers, all taken from the
 * table's pattern and schema pointers (generated/routes.ts), none written here.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Route } from './mountRoutes.js';
import type { BundledSpec } from './spec.js';

/** A generated route table entry with what compiling it needs (the shape of `routes` in generated/routes.ts). */
export interface TableRoute extends Route {
  /** The path over a request target: each parameter a named group, as sent (unencoded), no query. */
  readonly pathPattern: string;
  readonly successStatuses: readonly number[];
  /** JSON pointers into the bundled document: each path parameter's schema, the JSON body's, each success answer's. */
  readonly schemas: { readonly params: Readonly<Record<string, string>>; readonly body: string | null; readonly responses: Readonly<Record<number, string>> };
}

/** One operation, ready to serve requests. */
export interface CompiledRoute<Id extends string> {
  operationId: Id;
  route: TableRoute;
  /** The method as a request carries it (GET). */
  method: string;
  /** The path parameters of a request target that names this operation's path exactly; undefined otherwise. */
  match(url: string): Record<string, string> | undefined;
  /** The path parameters as the contract allows them. */
  params: ValidateFunction;
  /** The JSON body as the contract allows it; undefined when the operation takes none. */
  body: ValidateFunction | undefined;
  /** Each success status's JSON body as the contract allows it. */
  answers: Readonly<Record<number, ValidateFunction>>;
}

/** Compiles every operation of `routes` against `spec` (one Ajv instance holding the document, so its `$ref`s resolve). */
export function compileRoutes<Id extends string>(routes: Readonly<Record<Id, TableRoute>>, spec: BundledSpec): Array<CompiledRoute<Id>> {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(spec.document, 'spec');
  const at = (pointer: string): ValidateFunction => ajv.compile({ $ref: `spec${pointer}` });
  return (Object.keys(routes) as Id[]).map((operationId) => {
    const route = routes[operationId];
    const pattern = new RegExp(route.pathPattern);
    const { params, body, responses } = route.schemas;
    return {
      operationId,
      route,
      method: route.method.toUpperCase(),
      match: (url) => {
        const found = pattern.exec(url);
        return found === null ? undefined : (found.groups ?? {});
      },
      params: ajv.compile({
        type: 'object',
        properties: Object.fromEntries(Object.entries(params).map(([name, pointer]) => [name, { $ref: `spec${pointer}` }])),
        required: Object.keys(params),
      }),
      body: body === null ? undefined : at(body),
      answers: Object.fromEntries(Object.entries(responses).map(([status, pointer]) => [status, at(pointer)])),
    };
  });
}
