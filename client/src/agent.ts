/**
 * runAgent: the Agent's polling loop. Polls ShowCommand; SKIP waits the interval (with jitter); a command
 * goes to its handler, whose return value is reported as success (a throw as fail). Reports retry on
 * network errors so a finished command's result is not lost. Stops on abort after finishing its report.
 */
import type { SmsClient } from './client.js';
import { sleep, type RetryOptions } from './retry.js';
import type { Command, CommandBody, CommandParam } from './types.js';

/** What a handler gets besides the command's parameters. */
export interface HandlerContext {
  command: Command;
  /** Aborts when the Agent is asked to stop; long handlers should honour it. */
  signal: AbortSignal;
}

/** Runs one command; its return value becomes result_detail. */
export type CommandHandler = (param: CommandParam, context: HandlerContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Handlers by command name (START, STOP, DELETE, SYNC); a missing one makes that command "unknown". */
export type CommandHandlers = Partial<Record<Exclude<Command['command_name'], 'SKIP'>, CommandHandler>>;

/** A command the Agent has no handler for (the service adds commands over time). */
export class UnknownCommandError extends Error {
  override name = 'UnknownCommandError';
  constructor(readonly command: Command) {
    super(`no handler for command ${command.command_name}; it was skipped`);
  }
}

export interface AgentOptions {
  client: SmsClient;
  serverId: string;
  handlers: CommandHandlers;
  /** Wait after SKIP or a failed poll, in ms (default 5,000), varied by ±jitter. */
  pollIntervalMs?: number;
  /** Relative jitter of the interval (default 0.2: ±20%). */
  jitter?: number;
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
  const random = options.random ?? Math.random;
  const onError = options.onError ?? (() => {});
  const reportRetry = options.reportRetry ?? { retries: 8, baseDelayMs: 500, maxDelayMs: 30_000 };
  const stats: AgentStats = { polls: 0, commands: 0, reported: 0, failedCommands: 0, unknownCommands: 0 };
  const never = new AbortController().signal;
  const wait = async (): Promise<void> => {
    const ms = Math.max(0, Math.round(interval * (1 - jitter + 2 * jitter * random())));
    await sleep(ms, signal).catch(() => {});
  };

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
    if (command.command_name === 'SKIP') {
      await wait();
      continue;
    }
    const handler = (handlers as Record<string, CommandHandler | undefined>)[command.command_name];
    if (!handler) {
      stats.unknownCommands++;
      onError(new UnknownCommandError(command));
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
