/** The contract suite against the server in-process on PostgreSQL (TEST_DATABASE_URL; skipped with the reason without it). */
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres } from '../../harness/databases.js';
import { inProcessTarget } from './inProcessTarget.js';
import { contractSuite } from './suite.js';

contractSuite({
  name: 'in-process (PostgreSQL)',
  skip: TEST_DATABASE_URL ? undefined : PG_SKIP_REASON,
  open: async () => {
    const db = await freshPostgres();
    const handle = await inProcessTarget('in-process-postgres', db.url);
    return {
      target: handle.target,
      async close() {
        await handle.close();
        await db.drop();
      },
    };
  },
});
