/**
 * `npm run admin -- <command>`: the operator's CLI on the same DATABASE_URL as the server (safe while the
 * server runs). Errors go to stderr with exit code 1.
 */
import { resolve } from 'node:path';
import { CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { SmsError } from '../errors.js';
import { sealerFor } from '../sealing.js';
import { backupSource, backupSqlite } from '../store/backup.js';
import { openStore } from '../store/index.js';
import { buildProgram } from './program.js';

async function main(): Promise<number> {
  let databaseUrl: string;
  let sealingKeys: string | undefined;
  try {
    ({ databaseUrl, sealingKeys } = loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`admin: configuration error: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const program = buildProgram({
    openStore: () => openStore(databaseUrl, { create: false }),
    // after the store is open: a SQLite file's default key file is made beside it
    sealer: () => sealerFor(sealingKeys, databaseUrl),
    out: (line) => console.log(line),
    err: (text) => process.stderr.write(text),
    now: () => new Date(),
    database: `DATABASE_URL=${databaseUrl}`,
    backup: async (destination, onProgress) => backupSqlite(backupSource(databaseUrl), resolve(destination), onProgress),
  });
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (err) {
    // commander has printed its own usage error (or the help, which exits 0)
    if (err instanceof CommanderError) return err.exitCode;
    console.error(`admin: ${err instanceof SmsError ? err.message : `failed: ${(err as Error).message}`}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
