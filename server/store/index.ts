/** Opens the store a DATABASE_URL names: `sqlite:PATH`, `sqlite::memory:` or `postgres://...`. */
import { validateDatabaseUrl } from '../config.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** `create: false`: refuse a SQLite file that does not exist yet (the admin CLI must not start a second database). */
export async function openStore(databaseUrl: string, options: { create?: boolean } = {}): Promise<Store> {
  const url = validateDatabaseUrl(databaseUrl);
  if (url.startsWith('postgres')) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(url);
  }
  return openSqliteStore(url.slice('sqlite:'.length), options); // sqlite::memory: is ':memory:'
}
