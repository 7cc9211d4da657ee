/** A tiny fetch wrapper for tests: sends what it is told, returns status, headers and raw text. */
import type { ObservedResponse } from './spec.js';

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ObservedResponse & { json(): any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

export const commandPath = (serverId: string): string => `/v3/sources/${serverId}/command`;
export const resultPath = (serverId: string): string => `/v3/sources/${serverId}/command_result`;
