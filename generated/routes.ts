/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 * SMS Agent Command API: the route table createApp mounts, and the handler interface a server implements.
 */
import type { operations } from './schema.js';

/** Every operation: its method, the path as the spec writes it and as Express matches it, and whether it takes a JSON body. */
export const routes = {
  ShowCommand: { method: 'get', path: '/v3/sources/{server_id}/command', expressPath: '/v3/sources/:server_id/command', jsonBody: false, successStatuses: [200] },
  UpdateCommandResult: { method: 'post', path: '/v3/sources/{server_id}/command_result', expressPath: '/v3/sources/:server_id/command_result', jsonBody: true, successStatuses: [200] },
} as const;

export type OperationId = keyof typeof routes;

/** What a handler of each operation receives: path parameters, query parameters and JSON body, as the spec declares them. */
export interface Requests {
  ShowCommand: {
    params: operations['ShowCommand']['parameters']['path'];
    query: Record<string, never>;
    body: undefined;
  };
  UpdateCommandResult: {
    params: operations['UpdateCommandResult']['parameters']['path'];
    query: Record<string, never>;
    body: operations['UpdateCommandResult']['requestBody']['content']['application/json'];
  };
}

/** What a handler of each operation may answer: one of its documented success statuses, with that status's body. */
export interface Responses {
  ShowCommand: { status: 200; body: operations['ShowCommand']['responses'][200]['content']['application/json'] };
  UpdateCommandResult: { status: 200; body: operations['UpdateCommandResult']['responses'][200]['content']['application/json'] };
}

/** A handler for every operation of the contract, and for nothing else; `Context` is what the server adds to each request. */
export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Promise<Responses[Op]> };
