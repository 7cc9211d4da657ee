/** Writing a batch of Agent polls: one upsert per 500 source servers, all in one transaction. */
import type { SqlDatabase } from '../sql.js';

const ROWS_PER_STATEMENT = 500;

/** UPSERT last_poll_at for each poll; a time older than the stored one (another instance's, say) never replaces it. */
export async function recordPolls(db: SqlDatabase, polls: ReadonlyArray<{ serverId: string; at: number }>): Promise<void> {
  const statements = [];
  for (let i = 0; i < polls.length; i += ROWS_PER_STATEMENT) {
    const rows = polls.slice(i, i + ROWS_PER_STATEMENT).map((p) => ({ server_id: p.serverId, last_poll_at: p.at }));
    statements.push(
      db.q
        .insertInto('source_liveness')
        .values(rows)
        .onConflict((oc) =>
          oc.column('server_id').doUpdateSet((eb) => ({
            last_poll_at: eb
              .case()
              .when('excluded.last_poll_at', '>', eb.ref('source_liveness.last_poll_at'))
              .then(eb.ref('excluded.last_poll_at'))
              .else(eb.ref('source_liveness.last_poll_at'))
              .end(),
          })),
        ),
    );
  }
  if (statements.length > 0) await db.writeAll(statements);
}
