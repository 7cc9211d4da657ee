/** The bundled contracts as the server reads them: the documents the validators and /openapi.json serve, and the rules taken from them. */
import { readFileSync } from 'node:fs';
import { ADMIN_BUNDLED_SPEC_FILE, BUNDLED_SPEC_FILE } from './projectFiles.js';

export interface BundledSpec {
  /** The file's text, served as is at /openapi.json. */
  text: string;
  document: Record<string, unknown>;
}

/** Reads a bundled contract: generated/openapi.json (the Agent's, by default) or generated/admin/openapi.json. */
export function loadBundledSpec(contract: 'agent' | 'admin' = 'agent'): BundledSpec {
  const text = readFileSync(contract === 'agent' ? BUNDLED_SPEC_FILE : ADMIN_BUNDLED_SPEC_FILE, 'utf8');
  return { text, document: JSON.parse(text) as Record<string, unknown> };
}

export interface ServerIdRule {
  minLength: number;
  maxLength: number;
  pattern: RegExp;
}

/** Whether `value` is a server_id as `rule` allows it. */
export const allowsServerId = (rule: ServerIdRule, value: string): boolean => value.length >= rule.minLength && value.length <= rule.maxLength && rule.pattern.test(value);

/** The bounds of server_id as the spec states them (the admin CLI refuses IDs no Agent could use). */
export function serverIdRule(document: Record<string, unknown> = loadBundledSpec().document): ServerIdRule {
  const schema = (document as { components: { parameters: { ServerId: { schema: { minLength: number; maxLength: number; pattern: string } } } } })
    .components.parameters.ServerId.schema;
  return { minLength: schema.minLength, maxLength: schema.maxLength, pattern: new RegExp(schema.pattern) };
}

export interface LabelRule {
  maxLength: number;
  pattern: RegExp;
}

/** The rule for text the admin API stores (names, task IDs, buckets), as the admin contract states it (the CLI checks its arguments by it). */
export function labelRule(document: Record<string, unknown> = loadBundledSpec('admin').document): LabelRule {
  const schema = (document as { components: { schemas: { Label: { maxLength: number; pattern: string } } } }).components.schemas.Label;
  return { maxLength: schema.maxLength, pattern: new RegExp(schema.pattern, 'u') };
}
