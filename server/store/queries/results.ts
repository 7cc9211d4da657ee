/** Reading the reports Agents sent (storing them is each dialect's hot path). */
import { toResult } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { CommandResult } from '../types.js';

/** SELECT every report of a source server, oldest first. */
export async function listResults(db: SqlDatabase, serverId: string): Promise<CommandResult[]> {
  return (await db.read(db.q.selectFrom('command_results').selectAll().where('server_id', '=', serverId).orderBy('id'))).map(toResult);
}

/** SELECT reports of a source server, newest first: `limit` of them, older than report `before`. */
export async function recentResults(db: SqlDatabase, serverId: string, query: { limit: number; before?: number }): Promise<CommandResult[]> {
  let select = db.q.selectFrom('command_results').selectAll().where('server_id', '=', serverId).orderBy('id', 'desc').limit(query.limit);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  return (await db.read(select)).map(toResult);
}
