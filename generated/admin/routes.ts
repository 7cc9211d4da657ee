/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 * SMS Admin API: the route table createApp mounts, and the handler interface a server implements.
 */
import type { operations } from './schema.js';

/**
 * Every operation: its method, the path as the spec writes it, as Express matches it and as a pattern over a
 * request target (each parameter a named group, unencoded), whether it takes a JSON body, its success statuses, and where
 * the schemas of its path parameters, JSON body and success answers are in the bundled document.
 */
export const routes = {
  ListSources: { method: 'get', path: '/admin/v1/sources', expressPath: '/admin/v1/sources', pathPattern: '^/admin/v1/sources$', jsonBody: false, successStatuses: [200], schemas: { params: {}, body: null, responses: { 200: '#/paths/~1admin~1v1~1sources/get/responses/200/content/application~1json/schema' } } },
  CreateSource: { method: 'post', path: '/admin/v1/sources', expressPath: '/admin/v1/sources', pathPattern: '^/admin/v1/sources$', jsonBody: true, successStatuses: [201], schemas: { params: {}, body: '#/paths/~1admin~1v1~1sources/post/requestBody/content/application~1json/schema', responses: { 201: '#/paths/~1admin~1v1~1sources/post/responses/201/content/application~1json/schema' } } },
  ShowSource: { method: 'get', path: '/admin/v1/sources/{server_id}', expressPath: '/admin/v1/sources/:server_id', pathPattern: '^/admin/v1/sources/(?<server_id>[^/%?#]+)$', jsonBody: false, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1sources~1{server_id}/get/responses/200/content/application~1json/schema' } } },
  ListCommands: { method: 'get', path: '/admin/v1/sources/{server_id}/commands', expressPath: '/admin/v1/sources/:server_id/commands', pathPattern: '^/admin/v1/sources/(?<server_id>[^/%?#]+)/commands$', jsonBody: false, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1sources~1{server_id}~1commands/get/responses/200/content/application~1json/schema' } } },
  CreateCommand: { method: 'post', path: '/admin/v1/sources/{server_id}/commands', expressPath: '/admin/v1/sources/:server_id/commands', pathPattern: '^/admin/v1/sources/(?<server_id>[^/%?#]+)/commands$', jsonBody: true, successStatuses: [201], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: '#/paths/~1admin~1v1~1sources~1{server_id}~1commands/post/requestBody/content/application~1json/schema', responses: { 201: '#/paths/~1admin~1v1~1sources~1{server_id}~1commands/post/responses/201/content/application~1json/schema' } } },
  CancelCommand: { method: 'delete', path: '/admin/v1/sources/{server_id}/commands/{command_id}', expressPath: '/admin/v1/sources/:server_id/commands/:command_id', pathPattern: '^/admin/v1/sources/(?<server_id>[^/%?#]+)/commands/(?<command_id>[^/%?#]+)$', jsonBody: false, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema', command_id: '#/components/parameters/CommandId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1sources~1{server_id}~1commands~1{command_id}/delete/responses/200/content/application~1json/schema' } } },
  ListResults: { method: 'get', path: '/admin/v1/sources/{server_id}/results', expressPath: '/admin/v1/sources/:server_id/results', pathPattern: '^/admin/v1/sources/(?<server_id>[^/%?#]+)/results$', jsonBody: false, successStatuses: [200], schemas: { params: { server_id: '#/components/parameters/ServerId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1sources~1{server_id}~1results/get/responses/200/content/application~1json/schema' } } },
  ListTokens: { method: 'get', path: '/admin/v1/tokens', expressPath: '/admin/v1/tokens', pathPattern: '^/admin/v1/tokens$', jsonBody: false, successStatuses: [200], schemas: { params: {}, body: null, responses: { 200: '#/paths/~1admin~1v1~1tokens/get/responses/200/content/application~1json/schema' } } },
  CreateToken: { method: 'post', path: '/admin/v1/tokens', expressPath: '/admin/v1/tokens', pathPattern: '^/admin/v1/tokens$', jsonBody: true, successStatuses: [201], schemas: { params: {}, body: '#/paths/~1admin~1v1~1tokens/post/requestBody/content/application~1json/schema', responses: { 201: '#/paths/~1admin~1v1~1tokens/post/responses/201/content/application~1json/schema' } } },
  RevokeToken: { method: 'delete', path: '/admin/v1/tokens/{token_id}', expressPath: '/admin/v1/tokens/:token_id', pathPattern: '^/admin/v1/tokens/(?<token_id>[^/%?#]+)$', jsonBody: false, successStatuses: [200], schemas: { params: { token_id: '#/components/parameters/TokenId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1tokens~1{token_id}/delete/responses/200/content/application~1json/schema' } } },
  ListAccessKeys: { method: 'get', path: '/admin/v1/access_keys', expressPath: '/admin/v1/access_keys', pathPattern: '^/admin/v1/access_keys$', jsonBody: false, successStatuses: [200], schemas: { params: {}, body: null, responses: { 200: '#/paths/~1admin~1v1~1access_keys/get/responses/200/content/application~1json/schema' } } },
  CreateAccessKey: { method: 'post', path: '/admin/v1/access_keys', expressPath: '/admin/v1/access_keys', pathPattern: '^/admin/v1/access_keys$', jsonBody: true, successStatuses: [201], schemas: { params: {}, body: '#/paths/~1admin~1v1~1access_keys/post/requestBody/content/application~1json/schema', responses: { 201: '#/paths/~1admin~1v1~1access_keys/post/responses/201/content/application~1json/schema' } } },
  RevokeAccessKey: { method: 'delete', path: '/admin/v1/access_keys/{access_key}', expressPath: '/admin/v1/access_keys/:access_key', pathPattern: '^/admin/v1/access_keys/(?<access_key>[^/%?#]+)$', jsonBody: false, successStatuses: [200], schemas: { params: { access_key: '#/components/parameters/AccessKeyId/schema' }, body: null, responses: { 200: '#/paths/~1admin~1v1~1access_keys~1{access_key}/delete/responses/200/content/application~1json/schema' } } },
} as const;

export type OperationId = keyof typeof routes;

/** What a handler of each operation receives: path parameters, query parameters and JSON body, as the spec declares them. */
export interface Requests {
  ListSources: {
    params: Record<string, never>;
    query: NonNullable<operations['ListSources']['parameters']['query']>;
    body: undefined;
  };
  CreateSource: {
    params: Record<string, never>;
    query: Record<string, never>;
    body: operations['CreateSource']['requestBody']['content']['application/json'];
  };
  ShowSource: {
    params: operations['ShowSource']['parameters']['path'];
    query: Record<string, never>;
    body: undefined;
  };
  ListCommands: {
    params: operations['ListCommands']['parameters']['path'];
    query: NonNullable<operations['ListCommands']['parameters']['query']>;
    body: undefined;
  };
  CreateCommand: {
    params: operations['CreateCommand']['parameters']['path'];
    query: Record<string, never>;
    body: operations['CreateCommand']['requestBody']['content']['application/json'];
  };
  CancelCommand: {
    params: operations['CancelCommand']['parameters']['path'];
    query: Record<string, never>;
    body: undefined;
  };
  ListResults: {
    params: operations['ListResults']['parameters']['path'];
    query: NonNullable<operations['ListResults']['parameters']['query']>;
    body: undefined;
  };
  ListTokens: {
    params: Record<string, never>;
    query: Record<string, never>;
    body: undefined;
  };
  CreateToken: {
    params: Record<string, never>;
    query: Record<string, never>;
    body: operations['CreateToken']['requestBody']['content']['application/json'];
  };
  RevokeToken: {
    params: operations['RevokeToken']['parameters']['path'];
    query: Record<string, never>;
    body: undefined;
  };
  ListAccessKeys: {
    params: Record<string, never>;
    query: Record<string, never>;
    body: undefined;
  };
  CreateAccessKey: {
    params: Record<string, never>;
    query: Record<string, never>;
    body: operations['CreateAccessKey']['requestBody']['content']['application/json'];
  };
  RevokeAccessKey: {
    params: operations['RevokeAccessKey']['parameters']['path'];
    query: Record<string, never>;
    body: undefined;
  };
}

/** What a handler of each operation may answer: one of its documented success statuses, with that status's body. */
export interface Responses {
  ListSources: { status: 200; body: operations['ListSources']['responses'][200]['content']['application/json'] };
  CreateSource: { status: 201; body: operations['CreateSource']['responses'][201]['content']['application/json'] };
  ShowSource: { status: 200; body: operations['ShowSource']['responses'][200]['content']['application/json'] };
  ListCommands: { status: 200; body: operations['ListCommands']['responses'][200]['content']['application/json'] };
  CreateCommand: { status: 201; body: operations['CreateCommand']['responses'][201]['content']['application/json'] };
  CancelCommand: { status: 200; body: operations['CancelCommand']['responses'][200]['content']['application/json'] };
  ListResults: { status: 200; body: operations['ListResults']['responses'][200]['content']['application/json'] };
  ListTokens: { status: 200; body: operations['ListTokens']['responses'][200]['content']['application/json'] };
  CreateToken: { status: 201; body: operations['CreateToken']['responses'][201]['content']['application/json'] };
  RevokeToken: { status: 200; body: operations['RevokeToken']['responses'][200]['content']['application/json'] };
  ListAccessKeys: { status: 200; body: operations['ListAccessKeys']['responses'][200]['content']['application/json'] };
  CreateAccessKey: { status: 201; body: operations['CreateAccessKey']['responses'][201]['content']['application/json'] };
  RevokeAccessKey: { status: 200; body: operations['RevokeAccessKey']['responses'][200]['content']['application/json'] };
}

/** A handler for every operation of the contract, and for nothing else (it may answer at once); `Context` is what the server adds to each request. */
export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Responses[Op] | Promise<Responses[Op]> };
