/**
 * The domain model and the Store interface: everything the handlers, auth and the admin CLI need from a
 * database. SQLite and PostgreSQL implement it with the same behaviour; handlers never see SQL.
 */
import type { components } from '../../generated/schema.js';
import type { Action } from '../permissions.js';

/** A command an operator can queue for a source server (SKIP is never queued; it means "nothing"). */
export type QueuedCommandName = Exclude<components['schemas']['CommandName'], 'SKIP'>;
export const QUEUED_COMMAND_NAMES: readonly QueuedCommandName[] = ['START', 'STOP', 'DELETE', 'SYNC'];
export type ReportedCommandName = components['schemas']['ReportedCommandName'];
export type CommandResultValue = components['schemas']['CommandBody']['result'];

export interface SourceServer {
  serverId: string;
  name: string | null;
  createdAt: Date;
}

export type CommandState = 'pending' | 'leased' | 'done';

export interface Command {
  id: number;
  serverId: string;
  name: QueuedCommandName;
  taskId: string | null;
  bucket: string | null;
  state: CommandState;
  enqueuedAt: Date;
  /** When the current lease ends; a leased command whose lease has ended is handed out again. */
  leaseExpiresAt: Date | null;
  /** How many times the command was handed out (more than 1 means a redelivery). */
  deliveries: number;
  completedAt: Date | null;
  resultId: number | null;
}

export interface NewCommand {
  serverId: string;
  name: QueuedCommandName;
  taskId?: string | null;
  bucket?: string | null;
}

/** One report of the Agent, stored append-only. */
export interface CommandResult {
  id: number;
  serverId: string;
  commandName: ReportedCommandName;
  result: CommandResultValue;
  /** result_detail exactly as the Agent sent it (the JSON text of the object, or the SDKs' string). */
  resultDetailJson: string;
  /** That text, parsed (numbers beyond double precision read as JavaScript reads them). */
  resultDetail: Record<string, unknown>;
  receivedAt: Date;
  requestId: string;
  /** The command this report completed; null when it matched none (unsolicited). */
  commandId: number | null;
  unsolicited: boolean;
}

/** A report as the handler hands it to the store (the store decides which command it completes). */
export type NewCommandResult = Omit<CommandResult, 'id' | 'commandId' | 'unsolicited' | 'resultDetail'>;


/** A token as stored: only the SHA-256 hash of the secret is kept. */
export interface TokenRecord {
  id: string;
  name: string;
  tokenHash: string;
  /** Source servers the token may act for; null means all. */
  sources: string[] | null;
  actions: Action[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewToken = Omit<TokenRecord, 'revokedAt'>;

/**
 * What a poll finds. `idle` carries `idleUntil`: the earliest lease expiry of the source (before it,
 * nothing can become deliverable unless a command is queued), or null when no command is leased.
 */
export interface CommandCounts {
  pending: number;
  leased: number;
  expired: number;
  done: number;
}

export type LeaseOutcome = { kind: 'unknown-source' } | { kind: 'idle'; idleUntil: Date | null } | { kind: 'leased'; command: Command };
export type RecordOutcome = { kind: 'unknown-source' } | { kind: 'stored'; result: CommandResult };


export interface Store {
  /** Which database this is, for logs and health checks. */
  readonly kind: 'sqlite' | 'postgres';

  /** Registers a source server; SmsError sourceAlreadyRegistered when it is. */
  addSource(serverId: string, name: string | null, now: Date): Promise<SourceServer>;
  listSources(): Promise<SourceServer[]>;

  createToken(token: NewToken): Promise<TokenRecord>;
  findTokenByHash(tokenHash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** Marks a token revoked; false when no such token. */
  revokeToken(id: string, now: Date): Promise<boolean>;

  /** Queues a command; SmsError sourceNotFound when the source server is not registered. */
  enqueueCommand(command: NewCommand, now: Date): Promise<Command>;
  listCommands(serverId: string): Promise<Command[]>;
  /**
   * Leases the oldest command of the source that is pending or whose lease has ended, atomically:
   * two callers never get the same live lease.
   */
  leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome>;
  /**
   * Stores a report durably (committed before this resolves) and completes the oldest leased command of
   * that name for the source, if any.
   */
  recordResult(report: NewCommandResult): Promise<RecordOutcome>;
  listResults(serverId: string): Promise<CommandResult[]>;

  /**
   * The database's change counter. Triggers bump it in the same transaction as every change that a cached
   * read could miss: any change to tokens or source servers, a queued or requeued command, a shortened
   * lease. Leases and reports do not bump it. Whoever writes (this process, the admin CLI, another
   * instance, an operator in psql) cannot forget to.
   */
  changeEpoch(): Promise<number>;

  /** How many commands are in each state; `expired`: leased, but the lease has ended (to be handed out again). */
  commandCounts(now: Date): Promise<CommandCounts>;
  /** Why the database cannot keep writes now (its file deleted, replaced or not writable; a read-only database), or null. */
  storageProblem(): Promise<string | null>;
  /** How many of this code's migrations the database has not applied (0 once opened, unless it was replaced). */
  pendingMigrations(): Promise<number>;

  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
