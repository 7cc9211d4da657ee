/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 * SMS Agent Command API: the route table createApp mounts, and the handler interface a server implements.
 */
import type { operations } from './schema.js';

/**
 * Every operation: its method, the path as the spec writes it, as Express matches it and as a pattern over a
 * request target (each parameter a named group, unencoded), whether it takes a JSON body, its success statuses, and where
 * the schemas of its path parameters, JSON body and success answers are in the bundled document.
 */
export const routes = {
  ShowCommand: { method: 'get', path: '/v3/sources/{server_id}/command', expressPath: '/v3/sources/:server_id/command', pathPattern: '^/v3/sources/(?<server_id>[^/%?#]+)/command$', jsonBody: false, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: null, responses: { 200: '#/paths/~1v3~1sources~1{server_id}~1command/get/responses/200/content/application~1json/schema' } } },
  UpdateCommandResult: { method: 'post', path: '/v3/sources/{server_id}/command_result', expressPath: '/v3/sources/:server_id/command_result', pathPattern: '^/v3/sources/(?<server_id>[^/%?#]+)/command_result$', jsonBody: true, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: '#/paths/~1v3~1sources~1{server_id}~1command_result/post/requestBody/content/application~1json/schema', responses: { 200: '#/paths/~1v3~1sources~1{server_id}~1command_result/post/responses/200/content/application~1json/schema' } } },
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

/** A handler for every operation of the contract, and for nothing else (it may answer at once); `Context` is what the server adds to each request. */
export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Responses[Op] | Promise<Responses[Op]> };
