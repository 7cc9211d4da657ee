/**
 * runAgent: the Agent's polling loop. Polls ShowCommand; SKIP waits the interval (plus jitter); a command
 * goes to its handler, whose return value is reported as success (a throw as fail). A command it cannot
 * run (unknown to this spec, or without a handler) cannot be reported either: it is told to onError once
 * and the loop waits, backing off while the same command keeps coming. Reports retry on network errors so
 * a finished command's result is not lost. Stops on abort after finishing its report.
 */
import type { SmsClient } from './client.js';
import { isKnownCommand } from './commands.js';
import { sleep, type RetryOptions } from './retry.js';
import type { Command, CommandBody, CommandParam, KnownCommand } from './types.js';

/** What a handler gets besides the command's parameters. */
export interface HandlerContext {
  command: KnownCommand;
  /** Aborts when the Agent is asked to stop; long handlers should honour it. */
  signal: AbortSignal;
}

/** Runs one command; its return value becomes result_detail. */
export type CommandHandler = (param: CommandParam, context: HandlerContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Handlers by command name (START, STOP, DELETE, SYNC); a missing one makes that command "unknown". */
export type CommandHandlers = Partial<Record<Exclude<KnownCommand['command_name'], 'SKIP'>, CommandHandler>>;

/** A command the Agent cannot run: the spec does not list it (the service adds commands over time), or it has no handler. */
export class UnknownCommandError extends Error {
  override name = 'UnknownCommandError';
  constructor(readonly command: Command) {
    super(
      isKnownCommand(command)
        ? `no handler for command ${command.command_name}; it was not run`
        : `command ${command.command_name} is not in this client's spec; it was not run and cannot be reported`,
    );
  }
}

export interface AgentOptions {
  client: SmsClient;
  serverId: string;
  handlers: CommandHandlers;
  /** Wait after SKIP, a failed poll or a command it cannot run, in ms (default 5,000); never shorter. */
  pollIntervalMs?: number;
  /** Relative jitter added to every wait (default 0.2: up to 20% longer), so a fleet does not poll in step. */
  jitter?: number;
  /** Longest wait while the same command it cannot run keeps coming (default 300,000; never below the interval). */
  maxBackoffMs?: number;
  /** Stops the loop (after the current report is sent). */
  signal?: AbortSignal;
  /** Told about every problem the loop survives: failed polls, unknown commands, lost reports. */
  onError?: (error: unknown) => void;
  /** Retry policy of reports (default: 8 retries, backoff up to 30 s). */
  reportRetry?: RetryOptions;
  random?: () => number;
}

export interface AgentStats {
  polls: number;
  commands: number;
  reported: number;
  failedCommands: number;
  unknownCommands: number;
}

const MAX_MESSAGE = 4000;

/** Runs the loop until `signal` aborts; resolves with what it did. */
export async function runAgent(options: AgentOptions): Promise<AgentStats> {
  const { client, serverId, handlers, signal } = options;
  const interval = options.pollIntervalMs ?? 5000;
  const jitter = options.jitter ?? 0.2;
  const maxBackoff = Math.max(interval, options.maxBackoffMs ?? 300_000);
  const random = options.random ?? Math.random;
  const onError = options.onError ?? (() => {});
  const reportRetry = options.reportRetry ?? { retries: 8, baseDelayMs: 500, maxDelayMs: 30_000 };
  const stats: AgentStats = { polls: 0, commands: 0, reported: 0, failedCommands: 0, unknownCommands: 0 };
  const never = new AbortController().signal;
  /** Waits `base` ms plus up to `jitter` of it: never less than the interval. */
  const wait = async (base = interval): Promise<void> => {
    await sleep(Math.round(base * (1 + jitter * random())), signal).catch(() => {});
  };
  /** Commands it could not run that onError was told about (each once), and the current run of one. */
  const told = new Set<string>();
  const streak = { key: '', repeats: 0 };

  while (!signal?.aborted) {
    let command: Command;
    try {
      stats.polls++;
      command = await client.showCommand(serverId, signal ? { signal } : {});
    } catch (err) {
      if (signal?.aborted) break;
      onError(err);
      await wait();
      continue;
    }
    const handler = isKnownCommand(command) && command.command_name !== 'SKIP' ? handlers[command.command_name] : undefined;
    if (!isKnownCommand(command) || (command.command_name !== 'SKIP' && !handler)) {
      // Told once per command; while the service keeps handing out the same one, wait longer each time.
      const key = JSON.stringify(command);
      if (!told.has(key)) {
        if (told.size >= 1000) told.clear();
        told.add(key);
        stats.unknownCommands++;
        onError(new UnknownCommandError(command));
      }
      streak.repeats = streak.key === key ? streak.repeats + 1 : 0;
      streak.key = key;
      await wait(Math.min(maxBackoff, interval * 2 ** streak.repeats));
      continue;
    }
    streak.key = '';
    if (command.command_name === 'SKIP' || !handler) {
      await wait();
      continue;
    }
    stats.commands++;
    let report: CommandBody;
    try {
      const detail = await handler(command.command_param ?? {}, { command, signal: signal ?? never });
      report = { command_name: command.command_name, result: 'success', result_detail: detail ?? {} };
    } catch (err) {
      stats.failedCommands++;
      const e = err instanceof Error ? err : new Error(String(err));
      report = { command_name: command.command_name, result: 'fail', result_detail: { error: e.name, message: e.message.slice(0, MAX_MESSAGE) } };
    }
    try {
      // No abort signal: a finished command's result is sent even while the Agent stops.
      await client.updateCommandResult(serverId, report, { retry: reportRetry });
      stats.reported++;
    } catch (err) {
      onError(err);
    }
  }
  return stats;
}
