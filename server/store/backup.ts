/**
 * A consistent copy of the SQLite database while the server keeps serving it: SQLite's online backup, on a
 * connection of its own that holds one read snapshot for the whole copy. Without the snapshot every report
 * committed meanwhile would restart the copy (under a steady report load, forever); with it the copy is the
 * database as it was when the backup started, and the server's writes go on (to the WAL) undisturbed.
 * The copy is written next to the destination and renamed into place only once it passes an integrity
 * check, so the destination never names a partial copy.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface BackupSummary {
  pages: number;
  bytes: number;
}

/** Pages copied per step (4 KiB each): the progress callback is called after each. */
const PAGES_PER_STEP = 256;

/** The SQLite file a DATABASE_URL names, or why it cannot be backed up here. */
export function backupSource(databaseUrl: string): string {
  if (databaseUrl.startsWith('postgres')) {
    throw new Error('DATABASE_URL names PostgreSQL: back it up with pg_dump or your PostgreSQL backups (docs/operations.md, "Backups")');
  }
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === ':memory:') throw new Error('DATABASE_URL is sqlite::memory:, which lives only inside its process: there is no file to back up');
  return path;
}

/** Copies the SQLite database at `source` to `destination` (a new file), calling `onProgress` as it goes. */
export async function backupSqlite(source: string, destination: string, onProgress: (progress: BackupProgress) => void = () => {}): Promise<BackupSummary> {
  if (!existsSync(source)) throw new Error(`no database at ${source}: check DATABASE_URL`);
  if (existsSync(destination)) throw new Error(`${destination} already exists: a backup never overwrites a file; remove it or name another`);
  if (!existsSync(dirname(destination))) throw new Error(`the folder of ${destination} does not exist: create it first`);
  const partial = join(dirname(destination), `.${basename(destination)}.partial-${process.pid}`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // the read snapshot the whole copy is taken from (a read opens it; COMMIT below ends it)
    db.exec('BEGIN');
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    const { totalPages } = await db.backup(partial, {
      progress: ({ totalPages: total, remainingPages }) => {
        onProgress({ copiedPages: total - remainingPages, totalPages: total });
        return PAGES_PER_STEP;
      },
    });
    db.exec('COMMIT');
    onProgress({ copiedPages: totalPages, totalPages });
    assertIntact(partial);
    renameSync(partial, destination);
    return { pages: totalPages, bytes: statSync(destination).size };
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
}

/** Throws unless SQLite's integrity check passes on the copy at `path`. */
function assertIntact(path: string): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    const verdict = copy.pragma('integrity_check', { simple: true });
    if (verdict !== 'ok') throw new Error(`the copy failed SQLite's integrity check (${String(verdict)}); the database itself may be damaged: run PRAGMA integrity_check on it`);
  } finally {
    copy.close();
  }
}
