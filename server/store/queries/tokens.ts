/** Tokens: stored by the SHA-256 hash of their secret, looked up by it, listed and revoked. */
import { toToken } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { NewToken, TokenRecord } from '../types.js';

/** INSERT a token (its hash, never its secret). */
export async function createToken(db: SqlDatabase, t: NewToken): Promise<TokenRecord> {
  await db.write(
    db.q.insertInto('tokens').values({
      id: t.id,
      name: t.name,
      kind: t.kind,
      token_hash: t.tokenHash,
      sources: t.sources === null ? null : JSON.stringify(t.sources),
      actions: JSON.stringify(t.actions),
      expires_at: t.expiresAt?.getTime() ?? null,
      revoked_at: null,
      created_at: t.createdAt.getTime(),
    }),
  );
  return { ...t, revokedAt: null };
}

/** SELECT the token with this hash (the unique index answers it). */
export async function findTokenByHash(db: SqlDatabase, tokenHash: string): Promise<TokenRecord | null> {
  const [row] = await db.read(db.q.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash));
  return row ? toToken(row) : null;
}

/** SELECT every token, oldest first. */
export async function listTokens(db: SqlDatabase): Promise<TokenRecord[]> {
  return (await db.read(db.q.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id'))).map(toToken);
}

/** UPDATE revoked_at, keeping the first revocation time; the token, or null when there is none with this ID. */
export async function revokeToken(db: SqlDatabase, id: string, now: Date): Promise<TokenRecord | null> {
  const { rows } = await db.write(
    db.q
      .updateTable('tokens')
      .set((eb) => ({ revoked_at: eb.fn<number>('coalesce', ['revoked_at', eb.val(now.getTime())]) }))
      .where('id', '=', id)
      .returningAll(),
  );
  return rows[0] ? toToken(rows[0]) : null;
}
