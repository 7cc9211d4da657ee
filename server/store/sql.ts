/**
 * How the shared queries reach a database: Kysely builds and compiles them for the store's dialect (it
 * never connects), and the store runs the compiled SQL on its own connection. Kysely's own drivers are not
 * used: on SQLite, an async driver would interleave with the store's synchronous group-commit
 * transactions on the same connection (and `:memory:` has no second connection to give it).
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
} from 'kysely';
import type { Tables } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';
export type QueryBuilder = Kysely<Tables>;

/** A Kysely instance that only builds and compiles queries for `dialect`. */
export function queryBuilder(dialect: Dialect): QueryBuilder {
  return new Kysely<Tables>({
    dialect:
      dialect === 'sqlite'
        ? {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          }
        : {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          },
  });
}

/** A constraint a write broke, in words the shared queries turn into the error table's errors. */
export type Violation = 'unique' | 'foreign-key';

/** The connection the shared queries run on (SqliteStore and PostgresStore each provide one). */
export interface SqlDatabase {
  /** Builds queries for this connection's dialect. */
  readonly q: QueryBuilder;
  /** Runs a read and returns its rows. */
  read<R>(query: Compilable<R>): Promise<R[]>;
  /** Runs a write (a 503 SmsError when the database cannot keep writes): its rows (RETURNING). */
  write<R>(query: Compilable<R>): Promise<{ rows: R[] }>;
  /** Runs writes in one transaction: all or none. */
  writeAll(queries: Array<Compilable<unknown>>): Promise<void>;
  /** Which constraint an error from `write` broke, if it was a constraint. */
  violation(err: unknown): Violation | null;
}
