/** Tokens and access keys for tests and benchmarks, issued as the admin CLI issues them. */
import { issueAccessKey, issueToken } from '../server/auth.js';
import { ACTIONS, type Action } from '../server/permissions.js';
import { newSealingKey, parseSealingKeys, ringSealer, type Sealer } from '../server/sealing.js';
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

export type AccessKeyOptions = Omit<TokenOptions, 'kind'>;

/** Issues an access key (by default for every action on every source server, no expiry), stores it, returns its AK and SK. */
export async function storeAccessKey(store: Pick<Store, 'createAccessKey'>, sealer: Sealer, options: AccessKeyOptions = {}): Promise<{ accessKey: string; secretKey: string }> {
  const { secretKey, record } = issueAccessKey({
    name: options.name ?? 'test',
    sources: options.sources ?? null,
    actions: options.actions ?? [...ACTIONS],
    expiresAt: options.expiresAt ?? null,
    now: options.now ?? new Date(),
    sealer,
  });
  await store.createAccessKey(record);
  return { accessKey: record.accessKey, secretKey };
}

/** A sealer with a key of its own, as an in-memory database gets (tests and benchmarks). */
export function testSealer(): Sealer {
  return ringSealer(parseSealingKeys(newSealingKey('test'), 'a test sealer'));
}
