/** Tokens for tests and benchmarks, issued as the admin CLI issues them. */
import { issueToken } from '../server/auth.js';
import { ACTIONS, type Action } from '../server/permissions.js';
import type { Store, TokenKind } from '../server/store/types.js';

export interface TokenOptions {
  name?: string;
  /** Default: an Agent token. An admin token has no sources and no actions. */
  kind?: TokenKind;
  /** Source servers it may act on; null (the default): all. */
  sources?: string[] | null;
  /** Default: every action. */
  actions?: Action[];
  expiresAt?: Date | null;
  now?: Date;
}

/** Issues a token (by default an Agent token for every action on every source server, no expiry), stores it, returns its id and secret. */
export async function storeToken(store: Pick<Store, 'createToken'>, options: TokenOptions = {}): Promise<{ id: string; secret: string }> {
  const { secret, record } = issueToken({
    name: options.name ?? 'test',
    kind: options.kind ?? 'agent',
    sources: options.kind === 'admin' ? null : (options.sources ?? null),
    actions: options.kind === 'admin' ? [] : (options.actions ?? [...ACTIONS]),
    expiresAt: options.expiresAt ?? null,
    now: options.now ?? new Date(),
  });
  await store.createToken(record);
  return { id: record.id, secret };
}
