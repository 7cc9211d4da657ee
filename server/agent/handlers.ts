/**
 * The two operations of the SMS Agent API, typed from generated/routes.ts and backed by the Store: the
 * same functions on both request paths (server/agent/fastPath.ts, and Express through server/app.ts).
 */
import type { Handlers, Responses } from '../../generated/routes.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { SmsError } from '../errors.js';
import type { Liveness } from '../liveness.js';
import type { Metrics } from '../prometheus.js';
import type { RequestContext } from '../mountRoutes.js';
import { memberText } from '../jsonText.js';
import type { CachedStore } from '../store/cached.js';
import type { Command, LeaseOutcome, Store } from '../store/types.js';

/** The Agent contract's handlers, as createApp mounts them. */
export type AgentHandlers = Handlers<RequestContext>;

export interface HandlerDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'leaseSeconds'>;
  /** The read cache, when there is one: a poll it knows to be idle is answered at once, with no promise. */
  cache?: Pick<CachedStore, 'peekIdle'> | null;
  /** Where polls are recorded for the operator's liveness view. */
  liveness?: Pick<Liveness, 'polled'>;
  metrics?: Pick<Metrics, 'commandLeased' | 'reportStored'>;
}

/** The ShowCommand body for a leased command: command_param carries only what the command has. */
function commandBody(command: Command) {
  const param: { task_id?: string; bucket?: string } = {};
  if (command.taskId !== null) param.task_id = command.taskId;
  if (command.bucket !== null) param.bucket = command.bucket;
  return { command_name: command.name, command_param: param };
}

/**
 * result_detail exactly as sent: the raw JSON text of the object or string, never re-serialised, so what
 * is stored is what was sent; except that a string holding a JSON object (the official SDK samples send
 * one) is stored as that object's text.
 */
function resultDetailText(detail: unknown, rawBody: string | undefined): string {
  if (typeof detail === 'string' && holdsJsonObject(detail)) return detail;
  return (rawBody === undefined ? undefined : memberText(rawBody, 'result_detail')) ?? JSON.stringify(detail);
}

/** Whether `text` is the JSON text of an object. */
function holdsJsonObject(text: string): boolean {
  try {
    const decoded: unknown = JSON.parse(text);
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded);
  } catch {
    return false;
  }
}

/** ShowCommand's answer when there is nothing to do: one frozen object, so the fast path validates and serialises it once. */
const IDLE_ANSWER: Readonly<Responses['ShowCommand']> = Object.freeze({ status: 200, body: Object.freeze({ command_name: 'SKIP' }) });

/** UpdateCommandResult's answer once the report is stored: frozen as IDLE_ANSWER is. */
const REPORT_STORED: Readonly<Responses['UpdateCommandResult']> = Object.freeze({ status: 200, body: Object.freeze({}) });

/** ShowCommand's answer to what a poll of `serverId` at `now` found: the command leased, SKIP, or 404. Noted for liveness. */
function showCommandAnswer(deps: Pick<HandlerDeps, 'liveness' | 'metrics'>, serverId: string, outcome: LeaseOutcome, now: Date): Responses['ShowCommand'] {
  if (outcome.kind === 'unknown-source') throw new SmsError('sourceNotFound', serverId);
  deps.liveness?.polled(serverId, now);
  if (outcome.kind === 'idle') return IDLE_ANSWER;
  deps.metrics?.commandLeased(outcome.command.deliveries);
  return { status: 200, body: commandBody(outcome.command) };
}

/** ShowCommand leases the next command or answers SKIP (at once when the read cache knows it idle); UpdateCommandResult stores the report durably, then answers {}. */
export function agentHandlers(deps: HandlerDeps): AgentHandlers {
  return {
    ShowCommand({ params }) {
      const now = deps.clock.now();
      const idle = deps.cache?.peekIdle(params.server_id, now.getTime());
      if (idle !== undefined) return showCommandAnswer(deps, params.server_id, idle, now);
      return deps.store.leaseNextCommand(params.server_id, now, deps.config.leaseSeconds * 1000).then((outcome) => showCommandAnswer(deps, params.server_id, outcome, now));
    },

    async UpdateCommandResult({ params, body, rawBody, requestId }) {
      const outcome = await deps.store.recordResult({
        serverId: params.server_id,
        commandName: body.command_name,
        result: body.result,
        resultDetailJson: resultDetailText(body.result_detail, rawBody),
        receivedAt: deps.clock.now(),
        requestId,
      });
      if (outcome.kind === 'unknown-source') throw new SmsError('sourceNotFound', params.server_id);
      deps.metrics?.reportStored(outcome.result.unsolicited);
      return REPORT_STORED;
    },
  };
}
