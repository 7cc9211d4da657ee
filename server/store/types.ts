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

/** pending: waits to be handed out; leased: handed out, awaiting its report; done: reported; cancelled: by an operator while pending. */
export type CommandState = 'pending' | 'leased' | 'done' | 'cancelled';
export const COMMAND_STATES: readonly CommandState[] = ['pending', 'leased', 'done', 'cancelled'];

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
  cancelledAt: Date | null;
}

/** The command a source server's Agent holds: leased to it, the lease not ended. */
export interface HeldCommand {
  id: number;
  name: QueuedCommandName;
  leaseExpiresAt: Date;
}

/** A source server with its Agent's liveness. */
export interface SourceStatus extends SourceServer {
  /** The last poll recorded (polls are written in batches: up to LIVENESS_FLUSH_MS behind). */
  lastPollAt: Date | null;
  /** When its last report was received. */
  lastReportAt: Date | null;
  heldCommand: HeldCommand | null;
}

export type CancelOutcome = { kind: 'cancelled'; command: Command } | { kind: 'not-found' } | { kind: 'not-pending'; command: Command };

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
  /** result_detail exactly as the Agent sent it: the JSON text of the object or string (a string holding an object: that object's text). */
  resultDetailJson: string;
  /** That text, parsed (numbers beyond double precision read as JavaScript reads them). */
  resultDetail: Record<string, unknown> | string;
  receivedAt: Date;
  requestId: string;
  /** The command this report completed; null when it matched none (unsolicited). */
  commandId: number | null;
  unsolicited: boolean;
}

/** A report as the handler hands it to the store (the store decides which command it completes). */
export type NewCommandResult = Omit<CommandResult, 'id' | 'commandId' | 'unsolicited' | 'resultDetail'>;


/** agent: may call the two Agent operations (its actions, its sources); admin: may call the operator's API, nothing else. */
export type TokenKind = 'agent' | 'admin';

/** A token as stored: only the SHA-256 hash of the secret is kept. */
export interface TokenRecord {
  id: string;
  name: string;
  kind: TokenKind;
  tokenHash: string;
  /** Source servers the token may act for; null means all. */
  sources: string[] | null;
  actions: Action[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewToken = Omit<TokenRecord, 'revokedAt'>;

/** An access key (AK/SK) as stored: its SK only sealed (server/sealing.ts). It grants like an Agent token. */
export interface AccessKeyRecord {
  /** The access key ID (AK): the signature's `Access=`, not a secret. */
  accessKey: string;
  name: string;
  /** The SK, sealed under the server's sealing key. */
  sealedSecret: string;
  /** Source servers the key may act for; null means all. */
  sources: string[] | null;
  actions: Action[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewAccessKey = Omit<AccessKeyRecord, 'revokedAt'>;

/**
 * What a poll finds. `idle` carries `idleUntil`: the earliest lease expiry of the source (before it,
 * nothing can become deliverable unless a command is queued), or null when no command is leased.
 */
export interface CommandCounts {
  pending: number;
  leased: number;
  expired: number;
  done: number;
  cancelled: number;
}

export type LeaseOutcome = { kind: 'unknown-source' } | { kind: 'idle'; idleUntil: Date | null } | { kind: 'leased'; command: Command };
export type RecordOutcome = { kind: 'unknown-source' } | { kind: 'stored'; result: CommandResult };


export interface Store {
  /** Which database this is, for logs and health checks. */
  readonly kind: 'sqlite' | 'postgres';

  /** Registers a source server; SmsError sourceAlreadyRegistered when it is. */
  addSource(serverId: string, name: string | null, now: Date): Promise<SourceServer>;
  /** Source servers with their liveness, by server_id, `limit` of them after `after`. */
  listSources(query: { now: Date; limit: number; after?: string }): Promise<SourceStatus[]>;
  /** One source server with its liveness; null when it is not registered. */
  getSource(serverId: string, now: Date): Promise<SourceStatus | null>;
  /** Records when Agents polled (a batch from server/liveness.ts); a time never moves back. */
  recordPolls(polls: ReadonlyArray<{ serverId: string; at: number }>): Promise<void>;

  createToken(token: NewToken): Promise<TokenRecord>;
  findTokenByHash(tokenHash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** Marks a token revoked (once: revoking again keeps the first time); the token, or null when there is no such token. */
  revokeToken(id: string, now: Date): Promise<TokenRecord | null>;

  createAccessKey(key: NewAccessKey): Promise<AccessKeyRecord>;
  findAccessKey(accessKey: string): Promise<AccessKeyRecord | null>;
  listAccessKeys(): Promise<AccessKeyRecord[]>;
  /** Marks an access key revoked (once: revoking again keeps the first time); the key, or null when there is none. */
  revokeAccessKey(accessKey: string, now: Date): Promise<AccessKeyRecord | null>;
  /** Replaces an access key's sealed SK (sealing-key rotation: the same SK sealed under another key). */
  resealAccessKey(accessKey: string, sealedSecret: string): Promise<void>;

  /** Queues a command; SmsError sourceNotFound when the source server is not registered. */
  enqueueCommand(command: NewCommand, now: Date): Promise<Command>;
  /** The commands of a source server, oldest first: all, or `limit` after command `after`, of one state. */
  listCommands(serverId: string, query?: { state?: CommandState; limit?: number; after?: number }): Promise<Command[]>;
  /** Cancels a pending command of the source server; a leased, done or cancelled one is not-pending. */
  cancelCommand(serverId: string, commandId: number, now: Date): Promise<CancelOutcome>;
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
  /** Every report of a source server, oldest first (tools and tests; the admin API pages with recentResults). */
  listResults(serverId: string): Promise<CommandResult[]>;
  /** Reports of a source server, newest first: `limit` of them, older than report `before`. */
  recentResults(serverId: string, query: { limit: number; before?: number }): Promise<CommandResult[]>;

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
