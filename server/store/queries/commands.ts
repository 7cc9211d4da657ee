/** The operator's side of the command queue: queueing, listing and cancelling (leasing is each dialect's hot path). */
import { SmsError } from '../../errors.js';
import { toCommand } from '../rows.js';
import type { SqlDatabase } from '../sql.js';
import type { CancelOutcome, Command, CommandState, NewCommand } from '../types.js';

/** INSERT a pending command; SmsError sourceNotFound when the source server is not registered. */
export async function enqueueCommand(db: SqlDatabase, c: NewCommand, now: Date): Promise<Command> {
  try {
    const { rows } = await db.write(
      db.q
        .insertInto('commands')
        .values({ server_id: c.serverId, command_name: c.name, task_id: c.taskId ?? null, bucket: c.bucket ?? null, enqueued_at: now.getTime() })
        .returningAll(),
    );
    return toCommand(rows[0]!);
  } catch (err) {
    if (db.violation(err) === 'foreign-key') throw new SmsError('sourceNotFound', c.serverId).causedBy(err);
    throw err;
  }
}

/** SELECT a source server's commands, oldest first: all, or `limit` after command `after`, of one state. */
export async function listCommands(db: SqlDatabase, serverId: string, query: { state?: CommandState; limit?: number; after?: number } = {}): Promise<Command[]> {
  let select = db.q.selectFrom('commands').selectAll().where('server_id', '=', serverId).orderBy('id');
  if (query.state === 'cancelled') select = select.where('cancelled_at', 'is not', null);
  else if (query.state !== undefined) select = select.where('state', '=', query.state).where('cancelled_at', 'is', null);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  if (query.limit !== undefined) select = select.limit(query.limit);
  return (await db.read(select)).map(toCommand);
}

/**
 * UPDATE a pending command to done with cancelled_at, in one statement (a poll leasing it at the same
 * moment either wins, and the command is not-pending, or finds it done).
 */
export async function cancelCommand(db: SqlDatabase, serverId: string, commandId: number, now: Date): Promise<CancelOutcome> {
  const { rows } = await db.write(
    db.q
      .updateTable('commands')
      .set({ state: 'done', cancelled_at: now.getTime() })
      .where('id', '=', commandId)
      .where('server_id', '=', serverId)
      .where('state', '=', 'pending')
      .returningAll(),
  );
  if (rows[0]) return { kind: 'cancelled', command: toCommand(rows[0]) };
  const [existing] = await db.read(db.q.selectFrom('commands').selectAll().where('id', '=', commandId).where('server_id', '=', serverId));
  return existing ? { kind: 'not-pending', command: toCommand(existing) } : { kind: 'not-found' };
}
