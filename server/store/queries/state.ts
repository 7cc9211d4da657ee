/** What health checks, metrics and the read cache ask of the database: its change epoch, queue counts, applied migrations. */
import type { CompiledQuery } from 'kysely';
import { countCommands } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { CommandCounts } from '../types.js';

const changeEpochQuery = new WeakMap<SqlDatabase, CompiledQuery<{ epoch: number | string }>>();

/**
 * SELECT the change epoch (bumped by triggers on every change a cached read could miss). Every read cache
 * asks it every 100 ms, idle or not, so it is compiled once per database: an idle server makes no garbage.
 */
export async function changeEpoch(db: SqlDatabase): Promise<number> {
  let compiled = changeEpochQuery.get(db);
  if (!compiled) changeEpochQuery.set(db, (compiled = db.q.selectFrom('change_epoch').select('epoch').where('id', '=', 1).compile()));
  const query = compiled;
  const [row] = await db.read({ compile: () => query });
  return Number(row?.epoch ?? 0);
}

/** SELECT how many commands are in each state, expired leases and cancelled commands apart. */
export async function commandCounts(db: SqlDatabase, now: Date): Promise<CommandCounts> {
  const rows = await db.read(
    db.q
      .selectFrom('commands')
      .select((eb) => [
        'state',
        eb.and([eb('state', '=', 'leased'), eb('lease_expires_at', '<=', now.getTime())]).as('expired'),
        eb('cancelled_at', 'is not', null).as('cancelled'),
        eb.fn.countAll<number | string>().as('n'),
      ])
      .groupBy(['state', 'expired', 'cancelled']),
  );
  return countCommands(rows as Array<{ state: string; expired: number | boolean; cancelled: number | boolean; n: number | string }>);
}

/** SELECT the applied migration versions. */
export async function appliedMigrations(db: SqlDatabase): Promise<Array<{ version: number }>> {
  return db.read(db.q.selectFrom('schema_migrations').select('version'));
}
