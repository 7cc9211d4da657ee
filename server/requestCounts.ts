/**
 * The per-request metrics, counted in plain numbers and handed to prom-client only when /metrics is scraped.
 * prom-client's own children hash their labels and allocate on every increment and observation (760 ns per
 * request, `npm run bench:metrics`); here a request costs two map lookups, a bucket search and two additions
 * (34 ns). The
 * exposition is prom-client's: the counter is a prom-client Counter filled in its `collect()`, the
 * histogram answers `get()` in prom-client's own metric-object shape (the one `Registry.getMetricsAsJSON`
 * returns), so the registry formats both. test/server/requestMetrics.test.ts proves the text identical
 * to prom-client's own Counter and Histogram fed the same requests.
 */
import { Counter, type Metric, type OpenMetricsContentType, type Registry } from 'prom-client';

/** One operation's counts since the process started. */
interface OperationCounts {
  readonly byStatus: Map<number, StatusCount>;
  /** Observations per bucket, not cumulative; the last slot is above the largest bound (+Inf only). Their total is the count. */
  readonly buckets: Float64Array;
  sum: number;
}

/** One counter series. */
interface StatusCount {
  readonly operation: string;
  readonly status: string;
  n: number;
}

/** What the request metrics need to be told. */
export interface RequestMetrics {
  /** One finished request: its operation, status and duration. */
  request(operation: string, status: number, seconds: number): void;
}

/** Registers the request counter (by operation and status) and the duration histogram (by operation) in `registry`. */
export function createRequestMetrics(
  registry: Registry | Registry<OpenMetricsContentType>,
  options: { counter: { name: string; help: string }; histogram: { name: string; help: string; buckets: readonly number[] } },
): RequestMetrics {
  const bounds = [...options.histogram.buckets].sort((a, b) => a - b);
  const operations = new Map<string, OperationCounts>();
  // the counter's series in the order they first appeared, as prom-client lists them
  const series: StatusCount[] = [];

  new Counter({
    ...options.counter,
    labelNames: ['operation', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { operation, status, n } of series) this.inc({ operation, status }, n);
    },
  });
  registry.registerMetric(
    histogramMetric(options.histogram.name, options.histogram.help, bounds, operations, () => {
      operations.clear();
      series.length = 0;
    }),
  );

  return {
    request(operation, status, seconds) {
      let counts = operations.get(operation);
      if (!counts) operations.set(operation, (counts = { byStatus: new Map(), buckets: new Float64Array(bounds.length + 1), sum: 0 }));
      const count = counts.byStatus.get(status);
      if (count) count.n += 1;
      else {
        const added = { operation, status: String(status), n: 1 };
        counts.byStatus.set(status, added);
        series.push(added);
      }
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      counts.buckets[i]! += 1;
      counts.sum += seconds;
    },
  };
}

/** A histogram by operation in prom-client's metric-object shape: cumulative buckets, +Inf, sum, count. */
function histogramMetric(name: string, help: string, bounds: readonly number[], operations: ReadonlyMap<string, OperationCounts>, reset: () => void): Metric {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    /** Registry.resetMetrics() calls this: the counter's series go too (their collect() would refill it). */
    reset,
    async get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string; exemplar?: null }[] = [];
      for (const [operation, counts] of operations) {
        let cumulative = 0;
        bounds.forEach((le, i) => {
          cumulative += counts.buckets[i]!;
          values.push({ labels: { le, operation }, value: cumulative, metricName: `${name}_bucket`, exemplar: null });
        });
        const count = cumulative + counts.buckets[bounds.length]!;
        values.push({ labels: { le: '+Inf', operation }, value: count, metricName: `${name}_bucket`, exemplar: null });
        values.push({ labels: { operation }, value: counts.sum, metricName: `${name}_sum` });
        values.push({ labels: { operation }, value: count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
  // the registry reads only name, type and get(); prom-client's types name its four classes, not this shape
  return metric as unknown as Metric;
}
