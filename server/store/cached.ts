/**
 * A read cache in front of a Store for the two reads that every Agent request makes: the credential
 * lookup (every request: a token by its hash, an access key by its AK) and the idle poll (most GETs find
 * nothing to do).
 *
 * Correctness comes from the database's change epoch (see Store.changeEpoch): it is checked every
 * `refreshMs`, and when it moved, everything cached is dropped. Entries are used only while the last
 * successful check is at most 3 × refreshMs old, so a token revoked or a command queued by another process
 * (admin CLI, another instance) reaches this instance within refreshMs plus one check. Writes through
 * this cache drop it at once. If the database cannot be checked, nothing is served from the cache.
 */
import { passThrough } from './passThrough.js';
import type { AccessKeyRecord, LeaseOutcome, NewAccessKey, NewCommand, NewToken, Store, TokenRecord } from './types.js';

export interface ReadCacheOptions {
  /** How often the change epoch is checked, in milliseconds (at least 1). */
  refreshMs: number;
  /** Called when checking the change epoch starts failing (ok: false) and when it works again (ok: true). */
  onStatus?: (status: { ok: true } | { ok: false; error: unknown }) => void;
  /** Called after every check: whether it reached the database, and whether the cache was dropped (the epoch moved). */
  onCheck?: (check: { ok: boolean; dropped: boolean }) => void;
  /** Most entries per kind; the cache starts over when full. */
  maxEntries?: number;
  /** Monotonic milliseconds (tests pass their own). */
  monotonicNow?: () => number;
  /** Check on a timer every refreshMs (default true; tests that drive time call refresh() themselves). */
  autoRefresh?: boolean;
}

export interface CachedStore extends Store {
  /** Checks the change epoch now (a timer does it every refreshMs). */
  refresh(): Promise<void>;
  /** The token with this hash if the cache holds it and may serve it now; undefined: ask findTokenByHash. */
  peekToken(tokenHash: string): TokenRecord | undefined;
  /** The access key with this AK if the cache holds it and may serve it now; undefined: ask findAccessKey. */
  peekAccessKey(accessKey: string): AccessKeyRecord | undefined;
  /** The idle answer of a poll at `nowMs` if the cache holds one it may serve now; undefined: ask leaseNextCommand. */
  peekIdle(serverId: string, nowMs: number): LeaseOutcome | undefined;
  /** The last change epoch seen (null: the last check failed) and how long ago that check started. */
  cacheStatus(): ReadCacheStatus;
}

export interface ReadCacheStatus {
  epoch: number | null;
  checkedMsAgo: number | null;
}

const IDLE_NO_LEASES: LeaseOutcome = Object.freeze({ kind: 'idle', idleUntil: null });

/** Wraps `inner` in the read cache; closing the result stops the checks and closes `inner`. */
export function withReadCache(inner: Store, options: ReadCacheOptions): CachedStore {
  return passThrough(new ReadCache(inner, options), inner);
}

/** What the read cache changes of a store: the reads it serves, the writes after which it drops what it holds, closing. */
class ReadCache {
  readonly kind: Store['kind'];
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly accessKeys = new Map<string, AccessKeyRecord>();
  /** Per source server: no command is deliverable before this time (ms; Infinity: none leased). */
  private readonly idle = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | null;
  private epoch: number | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;
  /** Bumped on every drop: a read that started before a drop must not be cached after it. */
  private generation = 0;
  private healthy = true;

  constructor(
    private readonly inner: Store,
    private readonly options: ReadCacheOptions,
  ) {
    if (!(options.refreshMs >= 1)) throw new RangeError(`refreshMs must be at least 1 (got ${options.refreshMs})`);
    this.kind = inner.kind;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.monotonicNow ?? (() => performance.now());
    this.timer = options.autoRefresh === false ? null : setInterval(() => void this.refresh(), options.refreshMs);
    this.timer?.unref();
    void this.refresh();
  }

  refresh(): Promise<void> {
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  private async check(): Promise<void> {
    const started = this.now();
    try {
      const epoch = await this.inner.changeEpoch();
      const moved = epoch !== this.epoch;
      if (moved) {
        this.drop();
        this.epoch = epoch;
      }
      this.checkedAt = started;
      this.options.onCheck?.({ ok: true, dropped: moved });
      if (!this.healthy) {
        this.healthy = true;
        this.options.onStatus?.({ ok: true });
      }
    } catch (error) {
      this.drop();
      this.epoch = null;
      this.checkedAt = -Infinity;
      this.options.onCheck?.({ ok: false, dropped: true });
      if (this.healthy) {
        this.healthy = false;
        this.options.onStatus?.({ ok: false, error });
      }
    }
  }

  cacheStatus(): ReadCacheStatus {
    const ago = this.now() - this.checkedAt;
    return { epoch: this.epoch, checkedMsAgo: Number.isFinite(ago) ? Math.round(ago) : null };
  }

  private usable(): boolean {
    return this.epoch !== null && this.now() - this.checkedAt <= 3 * this.options.refreshMs;
  }

  private drop(): void {
    this.generation++;
    this.tokens.clear();
    this.accessKeys.clear();
    this.idle.clear();
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= this.maxEntries) map.clear();
    map.set(key, value);
  }

  peekToken(tokenHash: string): TokenRecord | undefined {
    return this.usable() ? this.tokens.get(tokenHash) : undefined;
  }

  peekIdle(serverId: string, nowMs: number): LeaseOutcome | undefined {
    if (!this.usable()) return undefined;
    const until = this.idle.get(serverId);
    if (until === undefined || nowMs >= until) return undefined;
    return until === Infinity ? IDLE_NO_LEASES : { kind: 'idle', idleUntil: new Date(until) };
  }

  findTokenByHash(tokenHash: string): Promise<TokenRecord | null> {
    return this.readThrough(this.tokens, tokenHash, () => this.inner.findTokenByHash(tokenHash));
  }

  /**
   * A credential looked up through the cache: served from `entries` when it may be; otherwise read, and
   * kept (frozen, its grants too) unless the cache was dropped while the read was in flight. Unknown
   * credentials are never kept (a new one must work at once).
   */
  private async readThrough<V extends { sources: string[] | null; actions: readonly string[] }>(entries: Map<string, V>, key: string, read: () => Promise<V | null>): Promise<V | null> {
    const hit = this.usable() ? entries.get(key) : undefined;
    if (hit) return hit;
    const generation = this.generation;
    const record = await read();
    if (record && generation === this.generation && this.usable()) {
      Object.freeze(record.actions);
      if (record.sources) Object.freeze(record.sources);
      this.remember(entries, key, Object.freeze(record));
    }
    return record;
  }

  /** The access key with this AK if the cache holds it and may serve it now; undefined: ask findAccessKey. */
  peekAccessKey(accessKey: string): AccessKeyRecord | undefined {
    return this.usable() ? this.accessKeys.get(accessKey) : undefined;
  }

  findAccessKey(accessKey: string): Promise<AccessKeyRecord | null> {
    return this.readThrough(this.accessKeys, accessKey, () => this.inner.findAccessKey(accessKey));
  }

  async leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome> {
    const nowMs = now.getTime();
    const hit = this.peekIdle(serverId, nowMs);
    if (hit) return hit;
    const generation = this.generation;
    const outcome = await this.inner.leaseNextCommand(serverId, now, leaseMs);
    if (outcome.kind === 'idle') {
      const until = outcome.idleUntil === null ? Infinity : outcome.idleUntil.getTime();
      if (until > nowMs && generation === this.generation && this.usable()) this.remember(this.idle, serverId, until);
    } else {
      this.idle.delete(serverId);
    }
    return outcome;
  }

  /** Runs a write, then drops the cache (what was read before the write may be stale now). */
  private async writing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.drop();
    }
  }

  addSource(serverId: string, name: string | null, now: Date) {
    return this.writing(this.inner.addSource(serverId, name, now));
  }
  createToken(token: NewToken): Promise<TokenRecord> {
    return this.writing(this.inner.createToken(token));
  }
  revokeToken(id: string, now: Date): Promise<TokenRecord | null> {
    return this.writing(this.inner.revokeToken(id, now));
  }
  createAccessKey(key: NewAccessKey): Promise<AccessKeyRecord> {
    return this.writing(this.inner.createAccessKey(key));
  }
  revokeAccessKey(accessKey: string, now: Date): Promise<AccessKeyRecord | null> {
    return this.writing(this.inner.revokeAccessKey(accessKey, now));
  }
  resealAccessKey(accessKey: string, sealedSecret: string): Promise<void> {
    return this.writing(this.inner.resealAccessKey(accessKey, sealedSecret));
  }
  enqueueCommand(command: NewCommand, now: Date) {
    return this.writing(this.inner.enqueueCommand(command, now));
  }

  // Not here, so passed through as they are (passThrough): reports only complete commands and cancelling only
  // ends pending ones (neither makes a source less idle: nothing to drop), liveness is never cached, and the
  // listings and health checks are read from the database each time.

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.drop();
    await this.inner.close();
  }
}
