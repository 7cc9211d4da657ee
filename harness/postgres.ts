/**
 * A private PostgreSQL cluster in a temporary directory, run as the postgres user: a test or a benchmark
 * can stop and start it (a database restart) without touching the machine's shared server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);

export interface PrivatePostgres {
  url: string;
  /** Stops it (fast shutdown: connections are cut), resolving once it is down. */
  stop(): Promise<void>;
  /** Starts it again, resolving once it accepts connections. */
  start(): Promise<void>;
  remove(): void;
}

/** Why a private cluster cannot be made here, or undefined when it can (the server binaries and runuser, as root). */
export function privatePostgresUnavailable(): string | undefined {
  if (!existsSync('/usr/lib/postgresql')) return 'the PostgreSQL server binaries are not installed (/usr/lib/postgresql)';
  if (!existsSync('/usr/sbin/runuser') || process.getuid?.() !== 0) return 'running the cluster as the postgres user needs runuser and root';
  return undefined;
}

/** Creates and starts a cluster on `port` (trust auth, fsync on); `url` is its `postgres` database. */
export function privatePostgres(port: number): PrivatePostgres {
  const version = execFileSync('ls', ['/usr/lib/postgresql']).toString().trim().split('\n')[0];
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const dir = mkdtempSync(join(tmpdir(), 'sms-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  asPostgres([`${bin}/initdb`, '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`;
  const pgCtl = (args: string[]) => run('runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, '-D', join(dir, 'data'), ...args]).then(() => undefined);
  const start = () => pgCtl(['-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => pgCtl(['-m', 'fast', '-w', 'stop']);
  asPostgres([`${bin}/pg_ctl`, '-D', join(dir, 'data'), '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, stop, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
