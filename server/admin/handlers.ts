/** The operator's API (generated/admin/routes.ts): each operation is one of operator.ts's functions answered in the contract's JSON. */
import type { Handlers } from '../../generated/admin/routes.js';
import type { RequestContext } from '../mountRoutes.js';
import * as act from './operator.js';
import { accessKeyView, commandPageView, commandView, issuedAccessKeyView, issuedTokenView, resultPageView, sourcePageView, sourceView, tokenView } from './views.js';

/** The admin contract's handlers, as createApp mounts them. */
export type AdminHandlers = Handlers<RequestContext>;

export function adminHandlers(deps: act.OperatorDeps): AdminHandlers {
  return {
    async CreateSource({ body }) {
      return { status: 201, body: sourceView(await act.registerSource(deps, { serverId: body.server_id, name: body.name ?? null })) };
    },
    async ListSources({ query }) {
      return { status: 200, body: sourcePageView(await act.listSources(deps, query)) };
    },
    async ShowSource({ params }) {
      return { status: 200, body: sourceView(await act.showSource(deps, params.server_id)) };
    },
    async CreateCommand({ params, body }) {
      const command = await act.queueCommand(deps, params.server_id, { name: body.command_name, taskId: body.command_param?.task_id, bucket: body.command_param?.bucket });
      return { status: 201, body: commandView(command) };
    },
    async ListCommands({ params, query }) {
      return { status: 200, body: commandPageView(await act.listCommands(deps, params.server_id, query)) };
    },
    async CancelCommand({ params }) {
      return { status: 200, body: commandView(await act.cancelCommand(deps, params.server_id, Number(params.command_id))) };
    },
    async ListResults({ params, query }) {
      return { status: 200, body: resultPageView(await act.listResults(deps, params.server_id, query)) };
    },
    async CreateToken({ body }) {
      const { secret, record } = await act.createToken(deps, {
        name: body.name,
        kind: body.kind,
        sources: body.sources,
        actions: body.actions,
        expiresInSeconds: body.expires_in_seconds,
      });
      return { status: 201, body: issuedTokenView(secret, record, deps.now()) };
    },
    async ListTokens() {
      const now = deps.now();
      return { status: 200, body: { tokens: (await act.listTokens(deps)).map((t) => tokenView(t, now)) } };
    },
    async RevokeToken({ params }) {
      return { status: 200, body: tokenView(await act.revokeToken(deps, params.token_id), deps.now()) };
    },
    async CreateAccessKey({ body }) {
      const { secretKey, record } = await act.createAccessKey(deps, { name: body.name, sources: body.sources, actions: body.actions, expiresInSeconds: body.expires_in_seconds });
      return { status: 201, body: issuedAccessKeyView(secretKey, record, deps.now()) };
    },
    async ListAccessKeys() {
      const now = deps.now();
      return { status: 200, body: { access_keys: (await act.listAccessKeys(deps)).map((k) => accessKeyView(k, now)) } };
    },
    async RevokeAccessKey({ params }) {
      return { status: 200, body: accessKeyView(await act.revokeAccessKey(deps, params.access_key), deps.now()) };
    },
  };
}
