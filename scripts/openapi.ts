/**
 * Walking a bundled OpenAPI document, the one way every tool here does it (scripts/routes.ts,
 * scripts/breaking/, harness/spec.ts): JSON pointers, local `$ref`s followed, and the operations in
 * document order.
 */

export type Json = Record<string, any>;

/** The methods a path item may hold operations under (OpenAPI 3.1). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The methods this project's routes use (Express's router, the route tables' types, the contract tests). */
export const ROUTED_METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** How many `$ref`s in a row are followed before a chain is taken for a loop. */
const MAX_HOPS = 32;

/** A JSON pointer's reference token: `~` and `/` escaped (RFC 6901). */
export const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The node at a JSON pointer (`#/a/b`, or `#` for the document) of `doc`; undefined where there is none. */
export function at(doc: Json, pointer: string): Json | undefined {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((key) => key !== '')
    .reduce<Json | undefined>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Json | undefined, doc);
}

/** The node at `pointer` with its `$ref`s followed: where it really is, and what it holds (undefined when a reference leads nowhere). */
export function located(doc: Json, pointer: string): { pointer: string; node: Json | undefined } {
  let current = { pointer, node: at(doc, pointer) };
  for (let hops = 0; current.node && typeof current.node.$ref === 'string' && hops < MAX_HOPS; hops++) {
    current = { pointer: current.node.$ref as string, node: at(doc, current.node.$ref as string) };
  }
  return current;
}

/** A node with its local `$ref`s followed (itself when it is no reference; undefined when one leads nowhere). */
export function deref(doc: Json, node: unknown): Json | undefined {
  let current = node as Json | undefined;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < MAX_HOPS; hops++) current = at(doc, current.$ref as string);
  return current;
}

/** An operation of a document: its path and method, the pointers to it and to its path item (through the item's `$ref`), the path item and the operation. */
export interface OperationAt {
  path: string;
  method: (typeof HTTP_METHODS)[number];
  pointer: string;
  itemPointer: string;
  item: Json;
  operation: Json;
}

/** Every operation of a document, in document order (paths, then methods as HTTP_METHODS lists them). */
export function operationsOf(doc: Json): OperationAt[] {
  return Object.keys((doc.paths ?? {}) as Json).flatMap((path) => {
    const { pointer: itemPointer, node: item = {} } = located(doc, `#/paths/${pointerToken(path)}`);
    return HTTP_METHODS.filter((method) => item[method]).map((method) => ({ path, method, pointer: `${itemPointer}/${method}`, itemPointer, item, operation: item[method] as Json }));
  });
}
