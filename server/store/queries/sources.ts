/** Registering source servers, and reading them with their Agent's liveness (last poll, last report, the command it holds). */
import { SmsError } from '../../errors.js';
import { toSourceStatus, type SourceStatusRow } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { SourceServer, SourceStatus } from '../types.js';

/** INSERT a source server; SmsError sourceAlreadyRegistered when its ID is taken. */
export async function addSource(db: SqlDatabase, serverId: string, name: string | null, now: Date): Promise<SourceServer> {
  try {
    await db.write(db.q.insertInto('source_servers').values({ server_id: serverId, name, created_at: now.getTime() }));
  } catch (err) {
    if (db.violation(err) === 'unique') throw new SmsError('sourceAlreadyRegistered', serverId).causedBy(err);
    throw err;
  }
  return { serverId, name, createdAt: now };
}

/** Source servers joined with their liveness: the poll time written by the liveness batches, the newest report, the oldest live lease. */
function statuses(db: SqlDatabase, now: Date) {
  return db.q
    .selectFrom('source_servers as s')
    .leftJoin('source_liveness as l', 'l.server_id', 's.server_id')
    .leftJoin('commands as h', (join) =>
      join.on('h.id', '=', (eb) =>
        eb
          .selectFrom('commands as c')
          .select('c.id')
          .whereRef('c.server_id', '=', 's.server_id')
          .where('c.state', '=', 'leased')
          .where('c.lease_expires_at', '>', now.getTime())
          .orderBy('c.id')
          .limit(1),
      ),
    )
    .select((eb) => [
      's.server_id',
      's.name',
      's.created_at',
      'l.last_poll_at',
      eb.selectFrom('command_results as r').select('r.received_at').whereRef('r.server_id', '=', 's.server_id').orderBy('r.id', 'desc').limit(1).as('last_report_at'),
      'h.id as held_id',
      'h.command_name as held_name',
      'h.lease_expires_at as held_until',
    ]);
}

/** SELECT source servers by server_id, `limit` of them after `after`. */
export async function listSources(db: SqlDatabase, query: { now: Date; limit: number; after?: string }): Promise<SourceStatus[]> {
  let select = statuses(db, query.now).orderBy('s.server_id').limit(query.limit);
  if (query.after !== undefined) select = select.where('s.server_id', '>', query.after);
  return (await db.read(select)).map((r) => toSourceStatus(r as SourceStatusRow));
}

/** SELECT one source server; null when it is not registered. */
export async function getSource(db: SqlDatabase, serverId: string, now: Date): Promise<SourceStatus | null> {
  const [row] = await db.read(statuses(db, now).where('s.server_id', '=', serverId));
  return row ? toSourceStatus(row as SourceStatusRow) : null;
}
