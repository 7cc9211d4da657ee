/**
 * What a contract case is, and how one runs against a target: every response validated against its
 * operation's contract (either contract), every exchange kept for the coverage table. Cases needing a
 * capability the target lacks are skipped, and the skip is listed.
 */
import { routes as adminRoutes, type OperationId as AdminOperationId } from '../generated/admin/routes.js';
import type { AccessKey } from '../client/src/signing.js';
import { call, commandPath, resultPath, signedHeaders, type CallOptions } from '../harness/http.js';
import { contractProblems, type ObservedResponse } from '../harness/spec.js';
import type { Capability, ContractTarget, StoredReport } from './target.js';

export type { AdminOperationId };

export interface Exchange {
  /** The operationId of either contract. */
  operation: string;
  response: ObservedResponse;
}

export interface ContractCase {
  name: string;
  /** The operation the case is about (for a case over every admin operation: the first it sends). */
  operation: string;
  status: number;
  requires?: Capability[];
  /** The case sends a request the spec forbids on purpose (a validating proxy may log it). */
  invalidRequest?: true;
  run(t: ContractTarget, io: CaseIO): Promise<void>;
}

/** A request to an admin operation: path parameters, query, body; the admin token unless `token` says otherwise (null: none). */
export interface AdminRequest {
  params?: Record<string, string | number>;
  query?: Record<string, string | number>;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

export type Received = ObservedResponse & { json(): any };

/** What a case uses to talk to the target; every response it receives is checked and recorded. */
export interface CaseIO {
  show(serverId: string, options?: CallOptions, code?: number): Promise<Received>;
  report(serverId: string, options?: CallOptions, code?: number): Promise<Received>;
  admin(operationId: AdminOperationId, request?: AdminRequest, code?: number): Promise<Received>;
  expect(condition: boolean, message: string): void;
}

/** The path of an admin operation with its parameters filled in. */
export function adminPath(operationId: AdminOperationId, params: Record<string, string | number> = {}): string {
  return adminRoutes[operationId].path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? `missing-${name}`)));
}

/**
 * Runs `send` while `breakIt` (the target's breakBackend or breakStorage) holds; a mock has neither, and is
 * asked for the status with Prefer instead.
 */
export async function whileBroken<T>(breakIt: (() => Promise<() => Promise<void>>) | undefined, send: () => Promise<T>): Promise<T> {
  const restore = breakIt ? await breakIt() : async () => {};
  try {
    return await send();
  } finally {
    await restore();
  }
}

/** Where the target can show what it stored: the report under the response's X-Request-Id equals `expected`. */
export async function expectStored(t: ContractTarget, io: CaseIO, r: ObservedResponse, expected: StoredReport): Promise<void> {
  if (!t.storedReport || r.status !== 200) return;
  const requestId = r.headers.get('x-request-id') ?? '';
  const stored = await t.storedReport(t.serverId, requestId);
  const got = stored && { commandName: stored.commandName, result: stored.result, resultDetail: stored.resultDetail };
  io.expect(JSON.stringify(got) === JSON.stringify(expected), `UpdateCommandResult 200: stored ${JSON.stringify(got)} under request ${requestId}, expected ${JSON.stringify(expected)}`);
}

export interface CaseOutcome {
  name: string;
  skipped?: string;
  problems: string[];
  exchanges: Exchange[];
}

/** A request as `call` would send it, its token taken off and its body text fixed, with the headers of its SDK-HMAC-SHA256 signature (the client's signer). */
async function signed(baseUrl: string, method: string, path: string, options: CallOptions, key: AccessKey): Promise<{ options: CallOptions; headers: Record<string, string> }> {
  const { token: _token, json, headers: given, ...rest } = options;
  const headers: Record<string, string> = { ...given };
  let body = rest.body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  const signed = await signedHeaders(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }, key);
  return { options: { ...rest, ...(body === undefined ? {} : { body }) }, headers: signed };
}

/** Runs one case against a target: every response validated; the outcome lists readable problems. */
export async function runCase(c: ContractCase, t: ContractTarget): Promise<CaseOutcome> {
  const missing = (c.requires ?? []).filter((cap) => {
    if (cap === 'forbiddenToken') return !t.forbiddenToken && !t.prefersCode;
    if (cap === 'breakBackend') return !t.breakBackend && !t.prefersCode;
    if (cap === 'breakStorage') return !t.breakStorage && !t.prefersCode;
    if (cap === 'implementation') return Boolean(t.prefersCode);
    if (cap === 'admin') return !t.adminToken;
    return !t.enqueue;
  });
  if (missing.length > 0) return { name: c.name, skipped: `target ${t.name} lacks ${missing.join(', ')}`, problems: [], exchanges: [] };
  const excluded = t.notApplicable?.find((n) => n.case.test(c.name));
  if (excluded) return { name: c.name, skipped: `not applicable to ${t.name}: ${excluded.reason}`, problems: [], exchanges: [] };
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  const send = (operation: string, method: string, path: string, agent = false) => async (options: CallOptions = {}, code?: number) => {
    let headers = { ...options.headers };
    if (t.prefersCode && code !== undefined) headers.Prefer = `code=${code}`;
    const key = agent && options.token !== undefined ? t.signedAs?.[options.token] : undefined;
    if (key) {
      // the AK/SK run: the same request, signed with the token's access key instead of carrying the token
      ({ options, headers } = await signed(t.baseUrl, method, path, { ...options, headers }, key));
    }
    const r = await call(t.baseUrl, method, path, { ...options, headers });
    exchanges.push({ operation, response: r });
    problems.push(...contractProblems(operation, r));
    return r;
  };
  const io: CaseIO = {
    show: (serverId, options, code) => send('ShowCommand', 'GET', commandPath(serverId), true)(options, code),
    report: (serverId, options, code) => send('UpdateCommandResult', 'POST', resultPath(serverId), true)(options, code),
    admin: (operationId, request = {}, code) => {
      const query = new URLSearchParams(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
      const { token = t.adminToken, params, query: _query, ...rest } = request;
      const options: CallOptions = { ...rest, ...(token === null || token === undefined ? {} : { token }) };
      return send(operationId, adminRoutes[operationId].method.toUpperCase(), `${adminPath(operationId, params)}${query ? `?${query}` : ''}`)(options, code);
    },
    expect: (condition, message) => {
      if (!condition) problems.push(message);
    },
  };
  try {
    await c.run(t, io);
  } catch (err) {
    problems.push(`${c.operation}: ${(err as Error).message}`);
  }
  if (t.violations) {
    for (const line of await t.violations()) {
      if (/Violation: response/.test(line) || !c.invalidRequest) problems.push(`${c.operation} ${c.status}: validating proxy logged: ${line}`);
    }
  }
  return { name: c.name, problems, exchanges };
}
