/**
 * Memory of a server process over time, judged by the JS heap after a forced GC (harness/heapProbe.mjs must
 * be preloaded with --expose-gc): samples, the least-squares trend, and the verdict.
 */
import type { Child } from './processes.js';

export interface HeapSample {
  /** Seconds since sampling started. */
  t: number;
  heapMiB: number;
}

/** A leak at or above this rate fails the verdict (a 1 MiB/min leak must fail; noise stays far below). */
export const LEAK_THRESHOLD_MIB_PER_MIN = 0.5;

/** Asks the process for its heap after a full GC (SIGUSR2) and waits for the answer line. */
export async function probeHeap(child: Child, timeoutMs = 5000): Promise<number> {
  const seen = lastProbe(child.output());
  process.kill(child.pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = lastProbe(child.output());
    if (probe && probe.seq !== seen?.seq) return probe.bytes / 1024 / 1024;
    if (Date.now() > deadline) throw new Error('no heap probe answer: start the process with --expose-gc --import ./harness/heapProbe.mjs');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function lastProbe(output: string): { bytes: number; seq: number } | undefined {
  const i = output.lastIndexOf('{"heapProbe":');
  if (i < 0) return undefined;
  const end = output.indexOf('\n', i);
  if (end < 0) return undefined; // the line is still being written
  const parsed = JSON.parse(output.slice(i, end)) as { heapProbe: number | null; seq: number };
  return parsed.heapProbe === null ? undefined : { bytes: parsed.heapProbe, seq: parsed.seq };
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Samples before this many seconds, or the first fifth if that is longer, are warm-up (caches and JIT filling). */
export const WARM_UP_SECONDS = 20;

/**
 * The least heap of each `bucketSeconds`: what a GC could not free. Something alive only while a probe's GC
 * runs (a request in flight, a timer's buffers: 0.15 MiB spikes, seen here) can only add to a sample, so
 * the lower envelope is the heap that stays, and its trend is the leak.
 */
export function lowerEnvelope(samples: HeapSample[], bucketSeconds = 2): HeapSample[] {
  const buckets = new Map<number, HeapSample>();
  for (const s of samples) {
    const key = Math.floor(s.t / bucketSeconds);
    const kept = buckets.get(key);
    if (!kept || s.heapMiB < kept.heapMiB) buckets.set(key, s);
  }
  return [...buckets.values()];
}

/** The verdict on heap samples: the trend of their lower envelope after the warm-up, in MiB per minute. */
export function memoryVerdict(samples: HeapSample[]): { trendMiBPerMin: number; flat: boolean; text: string } {
  const end = samples.at(-1)?.t ?? 0;
  const warmUp = Math.min(WARM_UP_SECONDS, end / 2);
  const warm = lowerEnvelope(samples.slice(Math.floor(samples.length / 5)).filter((s) => s.t >= warmUp));
  if (warm.length < 5) throw new Error(`too few heap samples for a verdict (${warm.length} after warm-up and per 2 s; need 5)`);
  const trend = slope(warm.map((s) => s.t / 60), warm.map((s) => s.heapMiB));
  const flat = trend < LEAK_THRESHOLD_MIB_PER_MIN;
  const text = `heap after GC ${warm[0]?.heapMiB.toFixed(2)} → ${warm.at(-1)?.heapMiB.toFixed(2)} MiB, trend ${trend.toFixed(2)} MiB/min: ${flat ? 'flat' : `GROWING (a leak: ${LEAK_THRESHOLD_MIB_PER_MIN} MiB/min or more)`}`;
  return { trendMiBPerMin: trend, flat, text };
}
