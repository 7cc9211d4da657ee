/** The two operations of the SMS Agent API, typed from generated/routes.ts and backed by the Store. */
import type { Handlers, Responses } from '../generated/routes.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { SmsError } from './errors.js';
import type { Liveness } from './liveness.js';
import type { Metrics } from './metrics.js';
import type { RequestContext } from './operations.js';
import { memberText } from './rawJson.js';
import type { Command, LeaseOutcome, Store } from './store/types.js';

/** The Agent contract's handlers, as createApp mounts them. */
export type AgentHandlers = Handlers<RequestContext>;

export interface HandlerDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'leaseSeconds'>;
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
 * result_detail exactly as sent: the raw JSON text of the object, or (from the official SDK samples) the
 * string itself, which must hold a JSON object. Never re-serialised, so what is stored is what was sent.
 */
function resultDetailText(detail: unknown, rawBody: string | undefined): string {
  if (typeof detail !== 'string') return (rawBody === undefined ? undefined : memberText(rawBody, 'result_detail')) ?? JSON.stringify(detail);
  let decoded: unknown;
  try {
    decoded = JSON.parse(detail);
  } catch {
    throw new SmsError('resultDetailNotJson');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new SmsError('resultDetailNotObject');
  }
  return detail;
}

/** ShowCommand's answer when there is nothing to do: one frozen object, so the fast path validates and serialises it once. */
export const IDLE_ANSWER: Readonly<Responses['ShowCommand']> = Object.freeze({ status: 200, body: Object.freeze({ command_name: 'SKIP' }) });

/** ShowCommand's answer to what a poll of `serverId` at `now` found: the command leased, SKIP, or 404. Noted for liveness. */
export function showCommandAnswer(deps: Pick<HandlerDeps, 'liveness' | 'metrics'>, serverId: string, outcome: LeaseOutcome, now: Date): Responses['ShowCommand'] {
  if (outcome.kind === 'unknown-source') throw new SmsError('sourceNotFound', serverId);
  deps.liveness?.polled(serverId, now);
  if (outcome.kind === 'idle') return IDLE_ANSWER;
  deps.metrics?.commandLeased(outcome.command.deliveries);
  return { status: 200, body: commandBody(outcome.command) };
}

/** ShowCommand leases the next command or answers SKIP; UpdateCommandResult stores the report durably, then answers {}. */
export function agentHandlers(deps: HandlerDeps): AgentHandlers {
  return {
    async ShowCommand({ params }) {
      const now = deps.clock.now();
      return showCommandAnswer(deps, params.server_id, await deps.store.leaseNextCommand(params.server_id, now, deps.config.leaseSeconds * 1000), now);
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
      return { status: 200, body: {} };
    },
  };
}
