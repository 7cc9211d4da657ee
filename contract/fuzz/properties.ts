/**
 * The fuzzing properties, shared by the short run in `npm test` and `npm run fuzz`: valid requests get a
 * 2xx or a documented 404; each single mutation gets a documented 4xx in the spec's shape; nothing 5xx.
 */
import fc from 'fast-check';
import { call } from '../../harness/http.js';
import { contractProblems } from '../../harness/spec.js';
import type { ContractTarget } from '../target.js';
import { applyMutation, mutation, validCommandBody, validServerId } from './arbitraries.js';

export interface FuzzTarget {
  baseUrl: string;
  token: string;
  /** A registered source, used half the time so that valid requests reach 200. */
  serverId: string;
  /** What the server stored under a request id; present, every valid report's stored row is compared with what was sent. */
  storedReport?: ContractTarget['storedReport'];
}

export interface FuzzStats {
  runs: number;
  statuses: Record<string, number>;
}

const path = (id: string, op: 'command' | 'command_result') => `/v3/sources/${encodeURIComponent(id)}/${op}`;

function check(operation: 'ShowCommand' | 'UpdateCommandResult', r: { status: number; headers: Headers; text: string }, allowed: number[], what: string): void {
  const problems = contractProblems(operation, r);
  if (!allowed.includes(r.status)) problems.unshift(`${operation} ${r.status}: expected one of ${allowed.join(', ')} for ${what}; body: ${r.text.slice(0, 300)}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** The three properties, each counting statuses into `stats`. */
export function properties(t: FuzzTarget, stats: FuzzStats, onRun?: () => void) {
  const count = (name: string, status: number) => {
    stats.runs++;
    stats.statuses[`${name} ${status}`] = (stats.statuses[`${name} ${status}`] ?? 0) + 1;
    onRun?.();
  };
  const anyServerId = fc.oneof(fc.constant(t.serverId), validServerId);
  return {
    validPoll: fc.asyncProperty(anyServerId, async (serverId) => {
      const r = await call(t.baseUrl, 'GET', path(serverId, 'command'), { token: t.token });
      count('valid ShowCommand', r.status);
      check('ShowCommand', r, [200, 404], `a valid poll of ${JSON.stringify(serverId)}`);
    }),
    validReport: fc.asyncProperty(anyServerId, validCommandBody, async (serverId, body) => {
      const r = await call(t.baseUrl, 'POST', path(serverId, 'command_result'), { token: t.token, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      count('valid UpdateCommandResult', r.status);
      check('UpdateCommandResult', r, [200, 404], 'a valid report');
      if (r.status === 200 && t.storedReport) {
        const requestId = r.headers.get('x-request-id') ?? '';
        const stored = await t.storedReport(serverId, requestId);
        // stored exactly as sent: the JSON text of the object, or the SDKs' string itself (compared as text:
        // a deep value would overflow a recursive comparison)
        const detail = body.result_detail;
        const expected = { commandName: body.command_name, result: body.result, resultDetailJson: typeof detail === 'string' ? detail : JSON.stringify(detail) };
        const got = stored && { commandName: stored.commandName, result: stored.result, resultDetailJson: stored.resultDetailJson };
        if (!got || got.commandName !== expected.commandName || got.result !== expected.result || got.resultDetailJson !== expected.resultDetailJson) {
          throw new Error(`UpdateCommandResult 200: stored ${JSON.stringify(got).slice(0, 300)} under request ${requestId}, sent ${JSON.stringify(expected).slice(0, 300)}`);
        }
      }
    }),
    invalidReport: fc.asyncProperty(anyServerId, validCommandBody, mutation, async (serverId, body, m) => {
      const req = applyMutation(m, serverId, body);
      const r = await call(t.baseUrl, 'POST', path(req.serverId, 'command_result'), { token: t.token, body: req.body, headers: { 'Content-Type': req.contentType } });
      count(`invalid (${m.kind})`, r.status);
      check('UpdateCommandResult', r, [400], `mutation ${m.kind}`);
    }),
  };
}
