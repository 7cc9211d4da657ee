/** Tokens for tests and benchmarks, issued as the admin CLI issues them. */
import { issueToken } from '../server/auth.js';
import { ACTIONS, type Action } from '../server/permissions.js';
import type { Store } from '../server/store/types.js';

export interface TokenOptions {
  name?: string;
  /** Source servers it may act on; null (the default): all. */
  sources?: string[] | null;
  /** Default: every action. */
  actions?: Action[];
  expiresAt?: Date | null;
  now?: Date;
}

/** Issues a token (by default for every action on every source server, no expiry), stores it, returns its id and secret. */
export async function storeToken(store: Pick<Store, 'createToken'>, options: TokenOptions = {}): Promise<{ id: string; secret: string }> {
  const { secret, record } = issueToken({
    name: options.name ?? 'test',
    sources: options.sources ?? null,
    actions: options.actions ?? [...ACTIONS],
    expiresAt: options.expiresAt ?? null,
    now: options.now ?? new Date(),
  });
  await store.createToken(record);
  return { id: record.id, secret };
}
