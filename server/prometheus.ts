/**
 * Prometheus metrics with prom-client, in a registry of the app's own (GET /metrics). Labels are bounded:
 * operation (the operationId, or the side route) and status; never a source server ID or a token.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createRequestMetrics } from './requestCounts.js';
import type { CommandCounts } from './store/types.js';

export interface Metrics {
  readonly registry: Registry;
  /** One finished request: its operation, status and duration. */
  request(operation: string, status: number, seconds: number): void;
  /** ShowCommand handed out a command; `deliveries` above 1 means its lease had expired (a redelivery). */
  commandLeased(deliveries: number): void;
  /** UpdateCommandResult stored a report; it completed a command unless it was unsolicited. */
  reportStored(unsolicited: boolean): void;
  /** A read-cache check of the change epoch. */
  cacheCheck(check: { ok: boolean; dropped: boolean }): void;
  /** A database call failed. */
  databaseError(): void;
}

/** Creates the metrics; `commandCounts` is read at every scrape for the queue gauges. */
export function createMetrics(options: { commandCounts: () => Promise<CommandCounts>; defaultMetrics?: boolean }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests = createRequestMetrics(registry, {
    counter: { name: 'sms_http_requests_total', help: 'Requests answered, by operation and status.' },
    histogram: {
      name: 'sms_http_request_duration_seconds',
      help: 'Time from the request to the end of the response, by operation.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    },
  });
  const leased = new Counter({ name: 'sms_commands_leased_total', help: 'Commands handed out by ShowCommand (first deliveries and redeliveries).', registers: [registry] });
  const redelivered = new Counter({ name: 'sms_commands_redelivered_total', help: 'Commands handed out again because their lease expired without a report (lease expiries).', registers: [registry] });
  const completed = new Counter({ name: 'sms_commands_completed_total', help: 'Commands completed by a report.', registers: [registry] });
  const reports = new Counter({ name: 'sms_reports_stored_total', help: 'Reports stored, by whether they matched a leased command.', labelNames: ['unsolicited'], registers: [registry] });
  const cacheChecks = new Counter({ name: 'sms_read_cache_checks_total', help: 'Read-cache checks of the change epoch, by outcome (unchanged, refreshed: the cache was dropped, failed).', labelNames: ['outcome'], registers: [registry] });
  const databaseErrors = new Counter({ name: 'sms_database_errors_total', help: 'Database calls that failed.', registers: [registry] });
  new Gauge({
    name: 'sms_commands',
    help: 'Commands by state, read from the database at scrape time (expired: leased, lease ended, waiting to be handed out again; cancelled: by an operator while pending).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await options.commandCounts();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  return {
    registry,
    request: requests.request,
    commandLeased(deliveries) {
      leased.inc();
      if (deliveries > 1) redelivered.inc();
    },
    reportStored(unsolicited) {
      reports.inc({ unsolicited: String(unsolicited) });
      if (!unsolicited) completed.inc();
    },
    cacheCheck({ ok, dropped }) {
      cacheChecks.inc({ outcome: !ok ? 'failed' : dropped ? 'refreshed' : 'unchanged' });
    },
    databaseError() {
      databaseErrors.inc();
    },
  };
}
