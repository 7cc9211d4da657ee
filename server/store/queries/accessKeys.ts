/** Access keys: stored with their SK sealed, looked up by AK, listed, revoked and resealed. */
import { toAccessKey } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { AccessKeyRecord, NewAccessKey } from '../types.js';

/** INSERT an access key (its sealed SK, never the SK). */
export async function createAccessKey(db: SqlDatabase, k: NewAccessKey): Promise<AccessKeyRecord> {
  await db.write(
    db.q.insertInto('access_keys').values({
      access_key: k.accessKey,
      name: k.name,
      sealed_secret: k.sealedSecret,
      sources: k.sources === null ? null : JSON.stringify(k.sources),
      actions: JSON.stringify(k.actions),
      expires_at: k.expiresAt?.getTime() ?? null,
      revoked_at: null,
      created_at: k.createdAt.getTime(),
    }),
  );
  return { ...k, revokedAt: null };
}

/** SELECT the access key with this AK (the primary key answers it). */
export async function findAccessKey(db: SqlDatabase, accessKey: string): Promise<AccessKeyRecord | null> {
  const [row] = await db.read(db.q.selectFrom('access_keys').selectAll().where('access_key', '=', accessKey));
  return row ? toAccessKey(row) : null;
}

/** SELECT every access key, oldest first. */
export async function listAccessKeys(db: SqlDatabase): Promise<AccessKeyRecord[]> {
  return (await db.read(db.q.selectFrom('access_keys').selectAll().orderBy('created_at').orderBy('access_key'))).map(toAccessKey);
}

/** UPDATE revoked_at, keeping the first revocation time; the key, or null when there is none with this AK. */
export async function revokeAccessKey(db: SqlDatabase, accessKey: string, now: Date): Promise<AccessKeyRecord | null> {
  const { rows } = await db.write(
    db.q
      .updateTable('access_keys')
      .set((eb) => ({ revoked_at: eb.fn<number>('coalesce', ['revoked_at', eb.val(now.getTime())]) }))
      .where('access_key', '=', accessKey)
      .returningAll(),
  );
  return rows[0] ? toAccessKey(rows[0]) : null;
}

/** UPDATE the sealed SK of an access key. */
export async function resealAccessKey(db: SqlDatabase, accessKey: string, sealedSecret: string): Promise<void> {
  await db.write(db.q.updateTable('access_keys').set({ sealed_secret: sealedSecret }).where('access_key', '=', accessKey));
}
