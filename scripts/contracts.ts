/** The contracts this project publishes, and where `npm run generate` writes what comes from each. */

export interface Contract {
  /** agent: the two operations of the migration Agent; admin: the operator's API. Both released and breaking-change gated. */
  name: 'agent' | 'admin';
  /** How the changelogs and the docs page name it. */
  label: string;
  /** Who breaks when the contract does (check:breaking and release say so when they refuse a change). */
  consumers: string;
  /** The root document under spec/. */
  root: string;
  /** Under the project root: the bundled document, its TypeScript types, its route table and handler interface. */
  bundle: string;
  types: string;
  routes: string;
  /** Copies of the types owned by another package (the client builds from its own folder). */
  typeCopies: string[];
  /** Under the project root: its frozen releases (<version>.json), its reviewed breaking changes, its changelog. */
  releases: string;
  approvals: string;
  changelog: string;
}

export const contracts: Contract[] = [
  {
    name: 'agent',
    label: 'Agent API',
    root: 'openapi.yaml',
    bundle: 'generated/openapi.json',
    types: 'generated/schema.ts',
    routes: 'generated/routes.ts',
    typeCopies: ['client/src/generated/schema.ts'],
    consumers: 'Agents in the field',
    releases: 'spec/releases',
    approvals: 'spec/breaking-changes.yaml',
    changelog: 'spec/CHANGELOG.md',
  },
  {
    name: 'admin',
    label: 'Admin API',
    root: 'admin.yaml',
    bundle: 'generated/admin/openapi.json',
    types: 'generated/admin/schema.ts',
    routes: 'generated/admin/routes.ts',
    typeCopies: [],
    consumers: "operators' scripts and the orchestration system",
    releases: 'spec/releases/admin',
    approvals: 'spec/admin-breaking-changes.yaml',
    changelog: 'spec/admin-CHANGELOG.md',
  },
];

/** The command that releases `version` of `contract` (the Agent's needs no --contract). */
export const releaseCommand = (contract: Contract, version = '<version>'): string =>
  `npm run release -- ${contract.name === 'agent' ? '' : `--contract ${contract.name} `}${version}`;

/** The contract named `name` (check:breaking's and release's --contract). */
export function contractNamed(name: string): Contract {
  const contract = contracts.find((c) => c.name === name);
  if (!contract) throw new Error(`--contract: no contract named ${JSON.stringify(name)}; the contracts are ${contracts.map((c) => c.name).join(', ')}`);
  return contract;
}
