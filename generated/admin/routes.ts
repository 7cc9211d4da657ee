/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 * SMS Admin API: the route table createApp mounts, and the handler interface a server implements.
 */
import type { operations } from './schema.js';

/** Every operation: its method, the path as the spec writes it and as Express matches it, and whether it takes a JSON body. */
export const routes = {
  ListSources: { method: 'get', path: '/admin/v1/sources', expressPath: '/admin/v1/sources', jsonBody: false, successStatuses: [200] },
  CreateSource: { method: 'post', path: '/admin/v1/sources', expressPath: '/admin/v1/sources', jsonBody: true, successStatuses: [201] },
  ShowSource: { method: 'get', path: '/admin/v1/sources/{server_id}', expressPath: '/admin/v1/sources/:server_id', jsonBody: false, successStatuses: [200] },
  ListCommands: { method: 'get', path: '/admin/v1/sources/{server_id}/commands', expressPath: '/admin/v1/sources/:server_id/commands', jsonBody: false, successStatuses: [200] },
  CreateCommand: { method: 'post', path: '/admin/v1/sources/{server_id}/commands', expressPath: '/admin/v1/sources/:server_id/commands', jsonBody: true, successStatuses: [201] },
  CancelCommand: { method: 'delete', path: '/admin/v1/sources/{server_id}/commands/{command_id}', expressPath: '/admin/v1/sources/:server_id/commands/:command_id', jsonBody: false, successStatuses: [200] },
  ListResults: { method: 'get', path: '/admin/v1/sources/{server_id}/results', expressPath: '/admin/v1/sources/:server_id/results', jsonBody: false, successStatuses: [200] },
  ListTokens: { method: 'get', path: '/admin/v1/tokens', expressPath: '/admin/v1/tokens', jsonBody: false, successStatuses: [200] },
  CreateToken: { method: 'post', path: '/admin/v1/tokens', expressPath: '/admin/v1/tokens', jsonBody: true, successStatuses: [201] },
  RevokeToken: { method: 'delete', path: '/admin/v1/tokens/{token_id}', expressPath: '/admin/v1/tokens/:token_id', jsonBody: false, successStatuses: [200] },
  ListAccessKeys: { method: 'get', path: '/admin/v1/access_keys', expressPath: '/admin/v1/access_keys', jsonBody: false, successStatuses: [200] },
  CreateAccessKey: { method: 'post', path: '/admin/v1/access_keys', expressPath: '/admin/v1/access_keys', jsonBody: true, successStatuses: [201] },
  RevokeAccessKey: { method: 'delete', path: '/admin/v1/access_keys/{access_key}', expressPath: '/admin/v1/access_keys/:access_key', jsonBody: false, successStatuses: [200] },
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

/** A handler for every operation of the contract, and for nothing else; `Context` is what the server adds to each request. */
export type Handlers<Context> = { [Op in OperationId]: (request: Requests[Op] & Context) => Promise<Responses[Op]> };
