/** The bundled spec as the server reads it: the document the validator and /openapi.json serve, and the rules taken from it. */
import { readFileSync } from 'node:fs';
import { BUNDLED_SPEC_FILE } from './paths.js';

export interface BundledSpec {
  /** The file's text, served as is at /openapi.json. */
  text: string;
  document: Record<string, unknown>;
}

/** Reads generated/openapi.json. */
export function loadBundledSpec(): BundledSpec {
  const text = readFileSync(BUNDLED_SPEC_FILE, 'utf8');
  return { text, document: JSON.parse(text) as Record<string, unknown> };
}

export interface ServerIdRule {
  minLength: number;
  maxLength: number;
  pattern: RegExp;
}

/** The bounds of server_id as the spec states them (the admin CLI refuses IDs no Agent could use). */
export function serverIdRule(document: Record<string, unknown> = loadBundledSpec().document): ServerIdRule {
  const schema = (document as { components: { parameters: { ServerId: { schema: { minLength: number; maxLength: number; pattern: string } } } } })
    .components.parameters.ServerId.schema;
  return { minLength: schema.minLength, maxLength: schema.maxLength, pattern: new RegExp(schema.pattern) };
}
