/**
 * The operator's CLI as a commander program built from its dependencies (the store to open, where output
 * goes, the clock), so that tests run it in-process; server/admin/main.ts is the `npm run admin` entry.
 * Every command but `backup` (store/backup.ts) is one of operator.ts's functions, the ones the admin API
 * calls. Lists print a table, or with --json the admin API's JSON (views.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ACTIONS, type Action } from '../permissions.js';
import { stringifyJson } from '../jsonText.js';
import { newSealingKey, type Sealer } from '../sealing.js';
import { allowsServerId, labelRule, serverIdRule } from '../spec.js';
import type { BackupProgress, BackupSummary } from '../store/backup.js';
import { COMMAND_STATES, QUEUED_COMMAND_NAMES, type CommandState, type QueuedCommandName, type Store } from '../store/types.js';
import * as act from './operator.js';
import type { Page } from './cursor.js';
import { accessKeyView, commandPageView, commandView, resultPageView, sourcePageView, sourceView, tokenView } from './views.js';

export interface ProgramDeps {
  /** Opens the store a command works on; the program closes it when the command is done. */
  openStore: () => Promise<Store>;
  /** The sealer of access keys' SKs (made once the store is open: a SQLite file's default key file sits beside it). */
  sealer: () => Sealer;
  /** Where a command's output goes, a line at a time. */
  out: (line: string) => void;
  /** Where commander's usage errors go. */
  err: (text: string) => void;
  now: () => Date;
  /** Shown in --help: which database the commands work on. */
  database: string;
  /** Copies the database to a new file (`backup`; main.ts: store/backup.ts), telling its progress. */
  backup: (destination: string, onProgress: (progress: BackupProgress) => void) => Promise<BackupSummary>;
}

const rule = serverIdRule();
const label = labelRule();

function serverId(value: string): string {
  if (!allowsServerId(rule, value)) {
    throw new InvalidArgumentError(`a source server ID is ${rule.minLength} to ${rule.maxLength} characters of ${rule.pattern.source} (got "${value}").`);
  }
  return value;
}

function oneOf<T extends string>(label: string, values: readonly T[], normalise: (v: string) => string = (v) => v) {
  return (value: string): T => {
    const v = normalise(value);
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`${label} is one of ${values.join(', ')} (got "${value}").`);
    return v as T;
  };
}

const commandName = oneOf<QueuedCommandName>('the command', QUEUED_COMMAND_NAMES, (v) => v.toUpperCase());
const commandState = oneOf<CommandState>('a state', COMMAND_STATES, (v) => v.toLowerCase());
const action = oneOf<Action>('an action', ACTIONS);

/** Text the admin contract lets the API store: the same rule for the CLI's arguments. */
function text(option: string) {
  return (value: string): string => {
    const length = [...value].length;
    if (length > label.maxLength) throw new InvalidArgumentError(`${option} is at most ${label.maxLength} characters (got ${length}).`);
    if (!label.pattern.test(value)) throw new InvalidArgumentError(`${option} is 1 to ${label.maxLength} characters without control characters (got ${JSON.stringify(value)}).`);
    return value;
  };
}

function whole(label: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${label} is a whole number from ${min} to ${max} (got "${value}").`);
    return Number(value);
  };
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** Parses 90s, 15m, 12h or 30d into seconds, at most ten years. */
export function parseDuration(value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError(`a duration is a positive number with s, m, h or d, such as 30d or 12h (got "${value}").`);
  const seconds = Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  if (!(seconds <= act.MAX_TOKEN_LIFETIME_SECONDS)) throw new InvalidArgumentError(`a token lives at most 3650d (ten years); omit --expires-in for a token that never expires (got "${value}").`);
  return seconds;
}

function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

const iso = (d: Date | null): string => (d ? d.toISOString() : '-');

/** Renders rows as an aligned table. */
function table(rows: Array<Record<string, unknown>>, empty: string): string {
  if (rows.length === 0) return empty;
  const cols = Object.keys(rows[0] as object);
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

const pageOptions = (command: Command): Command =>
  command.option('--limit <n>', `at most this many (default ${act.DEFAULT_PAGE_SIZE})`, whole('--limit', 1, 1000)).option('--cursor <cursor>', 'the page after the one that printed it').option('--json', "print the admin API's JSON");

interface PageOptions {
  limit?: number;
  cursor?: string;
  json?: boolean;
}

/** Builds the `admin` program; `parseAsync` runs one command, rejecting with SmsError or commander's errors. */
export function buildProgram(deps: ProgramDeps): Command {
  /** Runs an action on a freshly opened store, closed afterwards. */
  const withOperator = async <T>(work: (operator: act.OperatorDeps) => Promise<T>): Promise<T> => {
    const store = await deps.openStore();
    try {
      let sealer: Sealer | undefined;
      const sealing = (): Sealer => (sealer ??= deps.sealer());
      // the sealer is made on first use: commands that seal nothing need no sealing key
      return await work({ store, now: deps.now, get sealer() { return sealing(); } });
    } finally {
      await store.close();
    }
  };
  /** Prints a page: its JSON, or a table and how to get the next page. */
  const printPage = <T>(page: Page<T>, opts: PageOptions, json: (p: Page<T>) => unknown, row: (item: T) => Record<string, unknown>, empty: string): void => {
    if (opts.json) return deps.out(stringifyJson(json(page), 2));
    deps.out(table(page.items.map(row), empty));
    if (page.nextCursor) deps.out(`(more: --cursor ${page.nextCursor})`);
  };
  const pageQuery = (opts: PageOptions) => ({ ...(opts.limit ? { limit: opts.limit } : {}), ...(opts.cursor ? { cursor: opts.cursor } : {}) });

  const program = new Command('admin')
    .description(`Operate the SMS command service: source servers, tokens, access keys, command queues, results.\nDatabase: ${deps.database}.`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.out(s.trimEnd()), writeErr: deps.err });

  const sources = program.command('sources').description('source servers the Agents run on');
  sources
    .command('add')
    .argument('<server_id>', 'the source server ID the Agent will use', serverId)
    .description('register a source server')
    .option('--name <name>', 'a name for people', text('--name'))
    .action(async (id: string, opts: { name?: string }) => {
      await withOperator((op) => act.registerSource(op, { serverId: id, name: opts.name ?? null }));
      deps.out(`registered source server ${id}`);
    });
  const sourceRow = (s: ReturnType<typeof sourceView>) => ({
    server_id: s.server_id,
    name: s.name,
    last_poll_at: s.last_poll_at ?? '-',
    last_report_at: s.last_report_at ?? '-',
    holds: s.held_command ? `${s.held_command.command_name} #${s.held_command.command_id} until ${s.held_command.lease_expires_at}` : '-',
    created_at: s.created_at,
  });
  pageOptions(sources.command('list').description("list source servers with their Agent's liveness (last poll, last report, the command it holds)")).action(async (opts: PageOptions) => {
    const page = await withOperator((op) => act.listSources(op, pageQuery(opts)));
    printPage(page, opts, sourcePageView, (s) => sourceRow(sourceView(s)), 'no source servers');
  });
  sources
    .command('show')
    .argument('<server_id>', 'a registered source server', serverId)
    .description("show a source server and its Agent's liveness")
    .option('--json', "print the admin API's JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      const source = sourceView(await withOperator((op) => act.showSource(op, id)));
      deps.out(opts.json ? JSON.stringify(source, null, 2) : table([sourceRow(source)], ''));
    });

  const tokens = program.command('tokens').description('X-Auth-Token tokens for Agents and operators');
  tokens
    .command('create')
    .description('issue a token; it is printed once, alone on the last line')
    .requiredOption('--name <name>', 'what the token is for', text('--name'))
    .option('--admin', "an admin token: the admin API (/admin/v1), and nothing else")
    .option('--source <server_id>', 'a source server an Agent token may act for (repeat; default: all)', collect(serverId))
    .addOption(new Option('--action <action>', `an action an Agent token may perform (repeat; default: all of ${ACTIONS.join(', ')})`).argParser(collect(action)))
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 15m (default: no expiry)', parseDuration)
    .action(async (opts: { name: string; admin?: boolean; source?: string[]; action?: Action[]; expiresIn?: number }) => {
      const { secret, record } = await withOperator((op) =>
        act.createToken(op, { name: opts.name, kind: opts.admin ? 'admin' : 'agent', sources: opts.source, actions: opts.action, expiresInSeconds: opts.expiresIn }),
      );
      const scope = record.kind === 'admin' ? 'the admin API' : `${record.sources ? record.sources.join(', ') : 'all source servers'}; actions ${record.actions.join(', ')}`;
      deps.out(`created ${record.kind} token ${record.id} (${record.name}) for ${scope}; expires ${iso(record.expiresAt)}`);
      deps.out('The token is shown only this once; only its hash is stored:');
      deps.out(secret);
    });
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', "print the admin API's JSON")
    .action(async (opts: { json?: boolean }) => {
      const now = deps.now();
      const views = (await withOperator((op) => act.listTokens(op))).map((t) => tokenView(t, now));
      if (opts.json) return deps.out(JSON.stringify({ tokens: views }, null, 2));
      deps.out(
        table(
          views.map((t) => ({ token_id: t.token_id, name: t.name, kind: t.kind, sources: t.sources ?? (t.kind === 'admin' ? '-' : 'all'), actions: t.actions, status: t.status, expires_at: t.expires_at ?? '-', created_at: t.created_at })),
          'no tokens',
        ),
      );
    });
  tokens
    .command('revoke <token_id>')
    .description('revoke a token; requests with it get 401 from then on')
    .action(async (id: string) => {
      await withOperator((op) => act.revokeToken(op, id));
      deps.out(`revoked token ${id}`);
    });

  const keys = program.command('keys').description('access keys (AK/SK) for Agents that sign their requests, as the Huawei Cloud SDKs do');
  keys
    .command('create')
    .description('issue an access key; the AK and then the SK are printed once, each alone on the last two lines')
    .requiredOption('--name <name>', 'what the access key is for', text('--name'))
    .option('--source <server_id>', 'a source server it may act for (repeat; default: all)', collect(serverId))
    .addOption(new Option('--action <action>', `an action it may perform (repeat; default: all of ${ACTIONS.join(', ')})`).argParser(collect(action)))
    .option('--expires-in <duration>', 'lifetime such as 90d, 12h, 15m (default: no expiry)', parseDuration)
    .action(async (opts: { name: string; source?: string[]; action?: Action[]; expiresIn?: number }) => {
      const { secretKey, record } = await withOperator((op) => act.createAccessKey(op, { name: opts.name, sources: opts.source, actions: opts.action, expiresInSeconds: opts.expiresIn }));
      deps.out(`created access key ${record.accessKey} (${record.name}) for ${record.sources ? record.sources.join(', ') : 'all source servers'}; actions ${record.actions.join(', ')}; expires ${iso(record.expiresAt)}`);
      deps.out('The secret key (SK) is shown only this once; it is stored sealed. AK, then SK:');
      deps.out(record.accessKey);
      deps.out(secretKey);
    });
  keys
    .command('list')
    .description('list access keys (their AKs, never their SKs)')
    .option('--json', "print the admin API's JSON")
    .action(async (opts: { json?: boolean }) => {
      const now = deps.now();
      const views = (await withOperator((op) => act.listAccessKeys(op))).map((k) => accessKeyView(k, now));
      if (opts.json) return deps.out(JSON.stringify({ access_keys: views }, null, 2));
      deps.out(table(views.map((k) => ({ access_key: k.access_key, name: k.name, sources: k.sources ?? 'all', actions: k.actions, status: k.status, expires_at: k.expires_at ?? '-', created_at: k.created_at })), 'no access keys'));
    });
  keys
    .command('revoke <access_key>')
    .description('revoke an access key; requests signed with it get 401 from then on')
    .action(async (id: string) => {
      await withOperator((op) => act.revokeAccessKey(op, id));
      deps.out(`revoked access key ${id}`);
    });
  keys
    .command('reseal')
    .description("seal every SK under the first of the sealing keys (after putting a new key first in SEALING_KEYS; docs/security.md)")
    .action(async () => {
      const { resealed, total } = await withOperator((op) => act.resealAccessKeys(op));
      deps.out(`resealed ${resealed} of ${total} access keys under the current sealing key`);
    });
  keys
    .command('new-sealing-key')
    .description('print a new sealing key entry (ID:BASE64) for SEALING_KEYS; nothing is stored')
    .option('--id <id>', 'its ID (default: k, today\'s date and 6 random hex digits)')
    .action((opts: { id?: string }) => {
      deps.out(newSealingKey(opts.id));
    });

  const commands = program.command('commands').description('command queues of source servers');
  commands
    .command('enqueue')
    .argument('<server_id>', 'a registered source server', serverId)
    .argument('<command>', QUEUED_COMMAND_NAMES.join(' | '), commandName)
    .description(`queue a command (${QUEUED_COMMAND_NAMES.join('|')}) for a source server`)
    .option('--task-id <id>', 'command_param.task_id', text('--task-id'))
    .option('--bucket <name>', 'command_param.bucket', text('--bucket'))
    .action(async (id: string, name: QueuedCommandName, opts: { taskId?: string; bucket?: string }) => {
      const queued = await withOperator((op) => act.queueCommand(op, id, { name, taskId: opts.taskId, bucket: opts.bucket }));
      deps.out(`queued command ${queued.id}: ${queued.name} for ${id}`);
    });
  pageOptions(
    commands
      .command('list')
      .argument('<server_id>', 'a registered source server', serverId)
      .description('list the commands of a source server with their state, oldest first')
      .option('--state <state>', `only ${COMMAND_STATES.join(', ')}`, commandState),
  ).action(async (id: string, opts: PageOptions & { state?: CommandState }) => {
    const page = await withOperator((op) => act.listCommands(op, id, { ...pageQuery(opts), ...(opts.state ? { state: opts.state } : {}) }));
    printPage(
      page,
      opts,
      commandPageView,
      (c) => {
        const v = commandView(c);
        return { id: v.command_id, command: v.command_name, task_id: v.command_param.task_id, bucket: v.command_param.bucket, state: v.state, deliveries: v.deliveries, enqueued_at: v.enqueued_at, lease_expires_at: v.lease_expires_at, completed_at: v.completed_at, result_id: v.result_id };
      },
      `no commands for ${id}`,
    );
  });
  commands
    .command('cancel')
    .argument('<server_id>', 'a registered source server', serverId)
    .argument('<command_id>', 'a pending command of it', whole('<command_id>', 1, Number.MAX_SAFE_INTEGER))
    .description('cancel a pending command (a leased one runs on its Agent: queue STOP instead)')
    .action(async (id: string, commandId: number) => {
      const cancelled = await withOperator((op) => act.cancelCommand(op, id, commandId));
      deps.out(`cancelled command ${cancelled.id}: ${cancelled.name} for ${id}`);
    });

  const results = program.command('results').description('results reported by Agents');
  pageOptions(results.command('list').argument('<server_id>', 'a registered source server', serverId).description('list the reports of a source server, newest first')).action(
    async (id: string, opts: PageOptions) => {
      const page = await withOperator((op) => act.listResults(op, id, pageQuery(opts)));
      printPage(
        page,
        opts,
        resultPageView,
        (r) => ({ id: r.id, command: r.commandName, result: r.result, result_detail: r.resultDetailJson, received_at: iso(r.receivedAt), request_id: r.requestId, command_id: r.commandId, unsolicited: r.unsolicited }),
        `no results for ${id}`,
      );
    },
  );

  program
    .command('backup')
    .argument('<file>', 'the new file to write the copy to (it must not exist yet)')
    .description('copy the SQLite database to a new file while the server runs: the database as it was when the backup started (restoring: docs/operations.md)')
    .action(async (file: string) => {
      let shownTenths = -1;
      const summary = await deps.backup(file, ({ copiedPages, totalPages }) => {
        const percent = totalPages === 0 ? 100 : Math.floor((copiedPages * 100) / totalPages);
        // a line per tenth reached: a large database shows it is moving, a small one prints a line or two
        if (Math.floor(percent / 10) <= shownTenths) return;
        shownTenths = Math.floor(percent / 10);
        deps.err(`backup: ${percent}% (${copiedPages} of ${totalPages} pages)\n`);
      });
      deps.out(`backed up ${summary.pages} pages (${(summary.bytes / 1_048_576).toFixed(1)} MiB) to ${file}`);
    });

  return program;
}
