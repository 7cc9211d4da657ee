/** The contracts this project publishes, and where `npm run generate` writes what comes from each. */

export interface Contract {
  /** agent: the two operations of the migration Agent (released, breaking-change gated); admin: the operator's API. */
  name: 'agent' | 'admin';
  /** The root document under spec/. */
  root: string;
  /** Under the project root: the bundled document, its TypeScript types, its route table and handler interface. */
  bundle: string;
  types: string;
  routes: string;
  /** Copies of the types owned by another package (the client builds from its own folder). */
  typeCopies: string[];
}

export const contracts: Contract[] = [
  {
    name: 'agent',
    root: 'openapi.yaml',
    bundle: 'generated/openapi.json',
    types: 'generated/schema.ts',
    routes: 'generated/routes.ts',
    typeCopies: ['client/src/generated/schema.ts'],
  },
  {
    name: 'admin',
    root: 'admin.yaml',
    bundle: 'generated/admin/openapi.json',
    types: 'generated/admin/schema.ts',
    routes: 'generated/admin/routes.ts',
    typeCopies: [],
  },
];
