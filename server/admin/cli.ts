/**
 * `npm run admin -- <command>`: the operator's CLI on the same DATABASE_URL as the server (safe while the
 * server runs). Lists print a table, or JSON with --json; errors go to stderr with exit code 1.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { issueToken } from '../auth.js';
import { DEFAULT_DATABASE_URL } from '../config.js';
import { serverIdRule } from '../contract.js';
import { openStore } from '../store/index.js';
import { ACTIONS, DuplicateError, QUEUED_COMMAND_NAMES, UnknownSourceError, type Action, type QueuedCommandName, type Store } from '../store/types.js';

class UserError extends Error {}

const rule = serverIdRule();

function serverId(value: string): string {
  if (value.length < rule.minLength || value.length > rule.maxLength || !rule.pattern.test(value)) {
    throw new InvalidArgumentError(`a source server ID is ${rule.minLength} to ${rule.maxLength} characters of ${rule.pattern.source} (got "${value}").`);
  }
  return value;
}

function commandName(value: string): QueuedCommandName {
  const upper = value.toUpperCase();
  if (!(QUEUED_COMMAND_NAMES as readonly string[]).includes(upper)) {
    throw new InvalidArgumentError(`the command is one of ${QUEUED_COMMAND_NAMES.join(', ')} (got "${value}").`);
  }
  return upper as QueuedCommandName;
}

function param255(label: string) {
  return (value: string): string => {
    if (value.length > 255) throw new InvalidArgumentError(`${label} is at most 255 characters (got ${value.length}).`);
    return value;
  };
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Parses 90s, 15m, 12h or 30d into milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError(`a duration is a positive number with s, m, h or d, such as 30d or 12h (got "${value}").`);
  return Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
}

function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

function action(value: string): Action {
  if (!(ACTIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`an action is one of ${ACTIONS.join(', ')} (got "${value}").`);
  return value as Action;
}

const iso = (d: Date | null): string => (d ? d.toISOString() : '-');

/** Prints rows as an aligned table (or JSON with --json). */
function print(rows: Array<Record<string, unknown>>, json: boolean, empty: string): void {
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log(empty);
    return;
  }
  const cols = Object.keys(rows[0] as object);
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  console.log(line(cols));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function requireSource(store: Store, id: string): Promise<void> {
  if (!(await store.listSources()).some((s) => s.serverId === id)) {
    throw new UserError(`source server ${id} is not registered. Register it first: npm run admin -- sources add ${id}`);
  }
}

const program = new Command('admin')
  .description(`Operate the SMS command service: source servers, tokens, command queues, results.\nDatabase: DATABASE_URL (default ${DEFAULT_DATABASE_URL}).`)
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const sources = program.command('sources').description('source servers the Agents run on');
sources
  .command('add <server_id>')
  .description('register a source server')
  .option('--name <name>', 'a name for people')
  .action(async (id: string, opts: { name?: string }) => {
    const sid = serverId(id);
    await withStore(async (store) => {
      try {
        await store.addSource(sid, opts.name ?? null, new Date());
      } catch (err) {
        if (err instanceof DuplicateError) throw new UserError(`source server ${sid} is already registered.`);
        throw err;
      }
    });
    console.log(`registered source server ${sid}`);
  });
sources
  .command('list')
  .description('list source servers')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const rows = await withStore((store) => store.listSources());
    print(rows.map((s) => ({ server_id: s.serverId, name: s.name, created_at: iso(s.createdAt) })), Boolean(opts.json), 'no source servers');
  });

const tokens = program.command('tokens').description('X-Auth-Token tokens for Agents');
tokens
  .command('create')
  .description('issue a token; it is printed once, alone on the last line')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--source <server_id>', 'a source server it may act for (repeat; default: all)', collect(serverId))
  .addOption(new Option('--action <action>', `an action it may perform (repeat; default: all of ${ACTIONS.join(', ')})`).argParser(collect(action)))
  .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 15m (default: no expiry)', parseDuration)
  .action(async (opts: { name: string; source?: string[]; action?: Action[]; expiresIn?: number }) => {
    const now = new Date();
    const { secret, record } = await withStore(async (store) => {
      for (const s of opts.source ?? []) await requireSource(store, s);
      const issued = issueToken({
        name: opts.name,
        sources: opts.source ? [...new Set(opts.source)] : null,
        actions: opts.action ? [...new Set(opts.action)] : [...ACTIONS],
        expiresAt: opts.expiresIn ? new Date(now.getTime() + opts.expiresIn) : null,
        now,
      });
      await store.createToken(issued.record);
      return issued;
    });
    console.log(`created token ${record.id} (${record.name}) for ${record.sources ? record.sources.join(', ') : 'all source servers'}; actions ${record.actions.join(', ')}; expires ${iso(record.expiresAt)}`);
    console.log('The token is shown only this once; only its hash is stored:');
    console.log(secret);
  });
tokens
  .command('list')
  .description('list tokens (never their secrets)')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const rows = await withStore((store) => store.listTokens());
    const now = Date.now();
    print(
      rows.map((t) => ({
        token_id: t.id,
        name: t.name,
        sources: t.sources ?? 'all',
        actions: t.actions,
        status: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= now ? 'expired' : 'active',
        expires_at: iso(t.expiresAt),
        created_at: iso(t.createdAt),
      })),
      Boolean(opts.json),
      'no tokens',
    );
  });
tokens
  .command('revoke <token_id>')
  .description('revoke a token; requests with it get 401 from then on')
  .action(async (id: string) => {
    const found = await withStore((store) => store.revokeToken(id, new Date()));
    if (!found) throw new UserError(`no token ${id}. List tokens with: npm run admin -- tokens list`);
    console.log(`revoked token ${id}`);
  });

const commands = program.command('commands').description('command queues of source servers');
commands
  .command('enqueue <server_id> <command>')
  .description(`queue a command (${QUEUED_COMMAND_NAMES.join('|')}) for a source server`)
  .option('--task-id <id>', 'command_param.task_id', param255('--task-id'))
  .option('--bucket <name>', 'command_param.bucket', param255('--bucket'))
  .action(async (id: string, name: string, opts: { taskId?: string; bucket?: string }) => {
    const sid = serverId(id);
    const cmd = commandName(name);
    const queued = await withStore(async (store) => {
      try {
        return await store.enqueueCommand({ serverId: sid, name: cmd, taskId: opts.taskId ?? null, bucket: opts.bucket ?? null }, new Date());
      } catch (err) {
        if (err instanceof UnknownSourceError) throw new UserError(`source server ${sid} is not registered. Register it first: npm run admin -- sources add ${sid}`);
        throw err;
      }
    });
    console.log(`queued command ${queued.id}: ${queued.name} for ${sid}`);
  });
commands
  .command('list <server_id>')
  .description('list the commands of a source server, oldest first')
  .option('--json', 'print JSON')
  .action(async (id: string, opts: { json?: boolean }) => {
    const rows = await withStore(async (store) => {
      await requireSource(store, id);
      return store.listCommands(id);
    });
    print(
      rows.map((c) => ({
        id: c.id,
        command: c.name,
        task_id: c.taskId,
        bucket: c.bucket,
        state: c.state,
        deliveries: c.deliveries,
        enqueued_at: iso(c.enqueuedAt),
        lease_expires_at: iso(c.leaseExpiresAt),
        completed_at: iso(c.completedAt),
        result_id: c.resultId,
      })),
      Boolean(opts.json),
      `no commands for ${id}`,
    );
  });

const results = program.command('results').description('results reported by Agents');
results
  .command('list <server_id>')
  .description('list the reports of a source server, oldest first')
  .option('--json', 'print JSON')
  .action(async (id: string, opts: { json?: boolean }) => {
    const rows = await withStore(async (store) => {
      await requireSource(store, id);
      return store.listResults(id);
    });
    print(
      rows.map((r) => ({
        id: r.id,
        command: r.commandName,
        result: r.result,
        result_detail: r.resultDetail,
        received_at: iso(r.receivedAt),
        request_id: r.requestId,
        command_id: r.commandId,
        unsolicited: r.unsolicited,
      })),
      Boolean(opts.json),
      `no results for ${id}`,
    );
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof UserError || err instanceof InvalidArgumentError ? err.message : `failed: ${(err as Error).message}`;
  console.error(`admin: ${message}`);
  process.exit(1);
});
