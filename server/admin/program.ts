/**
 * The operator's CLI as a commander program built from its dependencies (the store to open, where output
 * goes, the clock), so that tests run it in-process; server/admin/main.ts is the `npm run admin` entry.
 * Lists print a table, or JSON with --json.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { issueToken } from '../auth.js';
import { SmsError } from '../errors.js';
import { ACTIONS, type Action } from '../permissions.js';
import { serverIdRule } from '../spec.js';
import { QUEUED_COMMAND_NAMES, type QueuedCommandName, type Store } from '../store/types.js';

export interface ProgramDeps {
  /** Opens the store a command works on; the program closes it when the command is done. */
  openStore: () => Promise<Store>;
  /** Where a command's output goes, a line at a time. */
  out: (line: string) => void;
  /** Where commander's usage errors go. */
  err: (text: string) => void;
  now: () => Date;
  /** Shown in --help: which database the commands work on. */
  database: string;
}

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
/** The longest token lifetime: ten years (a longer one is a typo, or never-expiring: omit --expires-in). */
export const MAX_TOKEN_LIFETIME_MS = 3650 * 86_400_000;

/** Parses 90s, 15m, 12h or 30d into milliseconds, at most ten years. */
export function parseDuration(value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError(`a duration is a positive number with s, m, h or d, such as 30d or 12h (got "${value}").`);
  const ms = Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  if (!(ms <= MAX_TOKEN_LIFETIME_MS)) throw new InvalidArgumentError(`a token lives at most 3650d (ten years); omit --expires-in for a token that never expires (got "${value}").`);
  return ms;
}

function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

function action(value: string): Action {
  if (!(ACTIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`an action is one of ${ACTIONS.join(', ')} (got "${value}").`);
  return value as Action;
}

const iso = (d: Date | null): string => (d ? d.toISOString() : '-');

/** Renders rows as an aligned table (or JSON with --json). */
function table(rows: Array<Record<string, unknown>>, json: boolean, empty: string): string {
  if (json) return JSON.stringify(rows, null, 2);
  if (rows.length === 0) return empty;
  const cols = Object.keys(rows[0] as object);
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

async function requireSource(store: Store, id: string): Promise<void> {
  if (!(await store.listSources()).some((s) => s.serverId === id)) throw new SmsError('sourceNotFound', id);
}

/** Builds the `admin` program; `parseAsync` runs one command, rejecting with SmsError or commander's errors. */
export function buildProgram(deps: ProgramDeps): Command {
  const print = (rows: Array<Record<string, unknown>>, json: boolean, empty: string): void => deps.out(table(rows, json, empty));
  const withStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = await deps.openStore();
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  const program = new Command('admin')
    .description(`Operate the SMS command service: source servers, tokens, command queues, results.\nDatabase: ${deps.database}.`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.out(s.trimEnd()), writeErr: deps.err });

  const sources = program.command('sources').description('source servers the Agents run on');
  sources
    .command('add')
    .argument('<server_id>', 'the source server ID the Agent will use', serverId)
    .description('register a source server')
    .option('--name <name>', 'a name for people')
    .action(async (id: string, opts: { name?: string }) => {
      await withStore((store) => store.addSource(id, opts.name ?? null, deps.now()));
      deps.out(`registered source server ${id}`);
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
      const now = deps.now();
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
      deps.out(`created token ${record.id} (${record.name}) for ${record.sources ? record.sources.join(', ') : 'all source servers'}; actions ${record.actions.join(', ')}; expires ${iso(record.expiresAt)}`);
      deps.out('The token is shown only this once; only its hash is stored:');
      deps.out(secret);
    });
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withStore((store) => store.listTokens());
      const now = deps.now().getTime();
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
      const found = await withStore((store) => store.revokeToken(id, deps.now()));
      if (!found) throw new SmsError('tokenNotFound', id);
      deps.out(`revoked token ${id}`);
    });

  const commands = program.command('commands').description('command queues of source servers');
  commands
    .command('enqueue')
    .argument('<server_id>', 'a registered source server', serverId)
    .argument('<command>', QUEUED_COMMAND_NAMES.join(' | '), commandName)
    .description(`queue a command (${QUEUED_COMMAND_NAMES.join('|')}) for a source server`)
    .option('--task-id <id>', 'command_param.task_id', param255('--task-id'))
    .option('--bucket <name>', 'command_param.bucket', param255('--bucket'))
    .action(async (id: string, name: QueuedCommandName, opts: { taskId?: string; bucket?: string }) => {
      const queued = await withStore((store) => store.enqueueCommand({ serverId: id, name, taskId: opts.taskId ?? null, bucket: opts.bucket ?? null }, deps.now()));
      deps.out(`queued command ${queued.id}: ${queued.name} for ${id}`);
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

  return program;
}
