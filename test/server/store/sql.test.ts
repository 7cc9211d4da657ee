/** server/store/sql.ts: the query builder compiles for its dialect, with that dialect's adapter and introspector, and never connects. */
import { PostgresAdapter, PostgresIntrospector, SqliteAdapter, SqliteIntrospector } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryBuilder } from '../../../server/store/sql.js';

describe('queryBuilder', () => {
  it('compiles for SQLite with SQLite parts, and for PostgreSQL with PostgreSQL parts', () => {
    const sqlite = queryBuilder('sqlite');
    const postgres = queryBuilder('postgres');
    const query = (q: typeof sqlite) => q.selectFrom('commands').select('id').where('server_id', '=', 's').compile().sql;
    expect(query(sqlite)).toBe('select "id" from "commands" where "server_id" = ?');
    expect(query(postgres)).toBe('select "id" from "commands" where "server_id" = $1');
    expect(sqlite.getExecutor().adapter).toBeInstanceOf(SqliteAdapter);
    expect(postgres.getExecutor().adapter).toBeInstanceOf(PostgresAdapter);
    expect(sqlite.introspection).toBeInstanceOf(SqliteIntrospector);
    expect(postgres.introspection).toBeInstanceOf(PostgresIntrospector);
  });

  it('never reaches a database: executing a built query yields no rows', async () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      expect(await queryBuilder(dialect).selectFrom('commands').selectAll().execute()).toEqual([]);
    }
  });
});
