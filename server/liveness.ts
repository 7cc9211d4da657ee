/**
 * Agent liveness without a database write per poll: polls are noted in memory (one Map.set on the hot
 * path) and written in one batch every `flushMs`, at most one row per source server; a time never moves
 * back in the database, so several instances writing their batches agree. What is not written yet is
 * still seen by this instance (`lastPoll`), and a batch that fails is kept for the next one.
 */
import type { Store } from './store/types.js';

export interface Liveness {
  /** Notes that the Agent of `serverId` polled at `at`. */
  polled(serverId: string, at: Date): void;
  /** The newest poll of `serverId` noted here and not written yet. */
  unwritten(serverId: string): Date | undefined;
  /** Writes the polls noted so far (the timer calls it every flushMs). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

export interface LivenessOptions {
  store: Pick<Store, 'recordPolls'>;
  /** How often the noted polls are written; 0: only when flush() is called. */
  flushMs: number;
  /** Told when a batch could not be written (it is kept and written with the next one). */
  onError?: (err: unknown, polls: number) => void;
}

export function createLiveness(options: LivenessOptions): Liveness {
  let noted = new Map<string, number>();
  /** The batch being written (still unwritten until the write resolves). */
  let writing = new Map<string, number>();
  let flushing: Promise<void> | null = null;

  const keepNewest = (into: Map<string, number>, serverId: string, at: number): void => {
    const known = into.get(serverId);
    if (known === undefined || at > known) into.set(serverId, at);
  };

  const write = async (): Promise<void> => {
    if (noted.size === 0) return;
    const batch = noted;
    noted = new Map();
    writing = batch;
    try {
      await options.store.recordPolls([...batch].map(([serverId, at]) => ({ serverId, at })));
    } catch (err) {
      for (const [serverId, at] of batch) keepNewest(noted, serverId, at);
      options.onError?.(err, batch.size);
    } finally {
      writing = new Map();
    }
  };

  const flush = (): Promise<void> => {
    flushing ??= write().finally(() => (flushing = null));
    return flushing;
  };

  const timer = options.flushMs > 0 ? setInterval(() => void flush(), options.flushMs) : null;
  timer?.unref();

  return {
    polled(serverId, at) {
      keepNewest(noted, serverId, at.getTime());
    },
    unwritten(serverId) {
      const at = noted.get(serverId) ?? writing.get(serverId);
      return at === undefined ? undefined : new Date(at);
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}
