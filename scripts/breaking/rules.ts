/**
 * The rule table of `npm run check:breaking`: one rule per kind of change, each with its severity,
 * modelled on oasdiff's documented checks. A request change is breaking when a request that was valid
 * becomes invalid; a response change is breaking when a client written against the old contract can
 * receive something it was told it would not.
 *
 * Severities: breaking (check:breaking exits 1 unless the change is reviewed in the contract's file,
 * spec/breaking-changes.yaml or spec/admin-breaking-changes.yaml, and the version is a major bump),
 * warning (printed, does not fail; a client may notice), info (compatible).
 */
export type Severity = 'breaking' | 'warning' | 'info';

export interface Rule {
  severity: Severity;
  /** What happened, in a few words; the change line adds where and old → new. */
  summary: string;
}

const rule = (severity: Severity, summary: string): Rule => ({ severity, summary });

/** Upper and lower bounds of JSON Schema, by keyword, with the name their rules use. */
export const UPPER_BOUNDS = { maxLength: 'max-length', maxItems: 'max-items', maxProperties: 'max-properties', maximum: 'maximum', exclusiveMaximum: 'exclusive-maximum' } as const;
export const LOWER_BOUNDS = { minLength: 'min-length', minItems: 'min-items', minProperties: 'min-properties', minimum: 'minimum', exclusiveMinimum: 'exclusive-minimum' } as const;

type BoundName = (typeof UPPER_BOUNDS)[keyof typeof UPPER_BOUNDS] | (typeof LOWER_BOUNDS)[keyof typeof LOWER_BOUNDS];
type BoundRuleId = `${'request' | 'response'}-${BoundName}-${'increased' | 'decreased'}`;

/** Rules for the bounds: tightening a request bound breaks senders; widening a response bound may break strict readers. */
function boundRules(): Record<BoundRuleId, Rule> {
  const table = {} as Record<BoundRuleId, Rule>;
  for (const [keyword, name] of Object.entries(UPPER_BOUNDS)) {
    table[`request-${name}-decreased` as BoundRuleId] = rule('breaking', `${keyword} lowered (or added) on a request value`);
    table[`request-${name}-increased` as BoundRuleId] = rule('info', `${keyword} raised (or removed) on a request value`);
    table[`response-${name}-increased` as BoundRuleId] = rule('warning', `${keyword} raised (or removed) on a response value`);
    table[`response-${name}-decreased` as BoundRuleId] = rule('info', `${keyword} lowered (or added) on a response value`);
  }
  for (const [keyword, name] of Object.entries(LOWER_BOUNDS)) {
    table[`request-${name}-increased` as BoundRuleId] = rule('breaking', `${keyword} raised (or added) on a request value`);
    table[`request-${name}-decreased` as BoundRuleId] = rule('info', `${keyword} lowered (or removed) on a request value`);
    table[`response-${name}-decreased` as BoundRuleId] = rule('warning', `${keyword} lowered (or removed) on a response value`);
    table[`response-${name}-increased` as BoundRuleId] = rule('info', `${keyword} raised (or added) on a response value`);
  }
  return table;
}

export const rules = {
  // the semantic check (semantic.ts): generated examples, where no rule above saw a change
  'request-refused': rule('breaking', 'a request the old contract accepts is refused by the new one (example generated from the old schema)'),
  'response-unexpected': rule('breaking', 'a response the new contract allows was not allowed by the old one (example generated from the new schema)'),
  'path-removed': rule('breaking', 'path removed'),
  'path-added': rule('info', 'path added'),
  'operation-removed': rule('breaking', 'operation removed'),
  'operation-added': rule('info', 'operation added'),
  'security-added': rule('breaking', 'security requirement added'),
  'security-removed': rule('info', 'security requirement removed'),
  'security-alternative-added': rule('info', 'another way to authenticate accepted (the ones before still are)'),
  'security-alternative-removed': rule('breaking', 'a way to authenticate removed (clients that use it are refused)'),
  'security-scheme-changed': rule('breaking', "security scheme's type, location or name changed (credentials sent as before are ignored)"),

  'request-parameter-added-required': rule('breaking', 'required request parameter added'),
  'request-parameter-added-optional': rule('info', 'optional request parameter added'),
  'request-parameter-removed': rule('warning', 'request parameter removed'),
  'request-parameter-became-required': rule('breaking', 'request parameter made required'),
  'request-parameter-became-optional': rule('info', 'request parameter made optional'),

  'request-body-added-required': rule('breaking', 'required request body added'),
  'request-body-added-optional': rule('info', 'optional request body added'),
  'request-body-removed': rule('warning', 'request body removed'),
  'request-body-became-required': rule('breaking', 'request body made required'),
  'request-body-became-optional': rule('info', 'request body made optional'),
  'request-media-type-removed': rule('breaking', 'request media type removed'),
  'request-media-type-added': rule('info', 'request media type added'),

  'request-property-added-required': rule('breaking', 'required request property added'),
  'request-property-added-optional': rule('info', 'optional request property added'),
  'request-property-removed': rule('warning', 'request property removed (ignored where extra properties are allowed)'),
  'request-property-removed-closed': rule('breaking', 'request property removed from a closed object (senders of it now get 400)'),
  'request-property-became-required': rule('breaking', 'request property made required'),
  'request-property-became-optional': rule('info', 'request property made optional'),
  'request-type-changed': rule('breaking', 'request value type no longer accepts what it did'),
  'request-type-widened': rule('info', 'request value accepts more types'),
  'request-enum-value-removed': rule('breaking', 'request enum value removed'),
  'request-enum-value-added': rule('info', 'request enum value added'),
  'request-enum-added': rule('breaking', 'request value restricted to an enum'),
  'request-pattern-added': rule('breaking', 'request pattern added'),
  'request-pattern-changed': rule('warning', 'request pattern changed'),
  'request-pattern-removed': rule('info', 'request pattern removed'),
  'request-format-added': rule('breaking', 'request format added (values outside it are refused by validators that assert formats)'),
  'request-format-changed': rule('breaking', 'request format changed'),
  'request-format-removed': rule('info', 'request format removed'),
  'request-const-added': rule('breaking', 'request value fixed to one constant'),
  'request-const-changed': rule('breaking', 'request constant changed'),
  'request-const-removed': rule('info', 'request value no longer fixed to a constant'),
  'request-multiple-of-added': rule('breaking', 'request value must be a multiple of a number'),
  'request-multiple-of-changed': rule('breaking', 'request multipleOf changed'),
  'request-multiple-of-removed': rule('info', 'request multipleOf removed'),
  'request-unique-items-added': rule('breaking', 'request array items must be unique'),
  'request-unique-items-removed': rule('info', 'request array items may repeat'),
  'request-not-added': rule('breaking', 'request value must not match a schema'),
  'request-not-changed': rule('warning', 'request not-schema changed'),
  'request-not-removed': rule('info', 'request not-schema removed'),
  'request-read-only-added': rule('breaking', 'request property made readOnly (senders of it may be refused)'),
  'request-read-only-removed': rule('info', 'request property no longer readOnly'),
  'request-write-only-added': rule('info', 'request property made writeOnly'),
  'request-write-only-removed': rule('info', 'request property no longer writeOnly'),
  'request-discriminator-added': rule('breaking', 'request discriminator added'),
  'request-discriminator-changed': rule('breaking', 'request discriminator changed'),
  'request-discriminator-removed': rule('info', 'request discriminator removed'),
  'request-parameter-style-changed': rule('breaking', 'request parameter style or explode changed (the value is serialised differently)'),
  'request-additional-properties-closed': rule('breaking', 'request object closed to extra properties'),
  'request-additional-properties-opened': rule('info', 'request object opened to extra properties'),

  'response-status-removed': rule('breaking', 'success response status removed'),
  'response-error-status-removed': rule('warning', 'error response status removed'),
  'response-status-added': rule('info', 'response status added'),
  'response-body-added': rule('info', 'response body added (old clients ignore it)'),
  'response-body-removed': rule('breaking', 'response body removed'),
  'response-media-type-removed': rule('breaking', 'response media type removed'),
  'response-media-type-added': rule('info', 'response media type added'),
  'response-header-removed': rule('warning', 'response header removed'),
  'response-header-added': rule('info', 'response header added'),
  'response-property-removed': rule('breaking', 'response property removed'),
  'response-property-became-optional': rule('breaking', 'response property made optional'),
  'response-property-became-required': rule('info', 'response property made required'),
  'response-property-added': rule('info', 'response property added'),
  'response-type-changed': rule('breaking', 'response value can have a type it could not'),
  'response-type-narrowed': rule('info', 'response value has fewer types'),
  // Decided: warning, not breaking. A client generated with a closed enum (an exhaustive switch, a strict
  // validator) fails on the new value, so the change is never silent; but the contract says that
  // command_name grows over time and clients must tolerate unknown values (our client and Agent are
  // tested against it), and the live service adds values without a new major version.
  'response-enum-value-added': rule('warning', 'response enum value added (strict clients must tolerate it)'),
  'response-enum-value-removed': rule('info', 'response enum value removed'),
  'response-enum-removed': rule('warning', 'response value no longer restricted to an enum'),
  'response-pattern-added': rule('info', 'response pattern added'),
  'response-pattern-changed': rule('warning', 'response pattern changed'),
  'response-pattern-removed': rule('warning', 'response pattern removed'),
  'response-format-added': rule('info', 'response format added'),
  'response-format-changed': rule('warning', 'response format changed'),
  'response-format-removed': rule('warning', 'response format removed (strict readers may see values they did not expect)'),
  'response-const-added': rule('info', 'response value fixed to one constant'),
  'response-const-changed': rule('breaking', 'response constant changed'),
  'response-const-removed': rule('warning', 'response value no longer fixed to a constant'),
  'response-multiple-of-added': rule('info', 'response multipleOf added'),
  'response-multiple-of-changed': rule('warning', 'response multipleOf changed'),
  'response-multiple-of-removed': rule('warning', 'response multipleOf removed'),
  'response-unique-items-added': rule('info', 'response array items unique'),
  'response-unique-items-removed': rule('warning', 'response array items may repeat'),
  'response-not-added': rule('info', 'response not-schema added'),
  'response-not-changed': rule('warning', 'response not-schema changed'),
  'response-not-removed': rule('warning', 'response not-schema removed'),
  'response-read-only-added': rule('info', 'response property made readOnly'),
  'response-read-only-removed': rule('info', 'response property no longer readOnly'),
  'response-write-only-added': rule('breaking', 'response property made writeOnly (no longer sent)'),
  'response-write-only-removed': rule('info', 'response property no longer writeOnly'),
  'response-discriminator-added': rule('info', 'response discriminator added'),
  'response-discriminator-changed': rule('breaking', 'response discriminator changed'),
  'response-discriminator-removed': rule('warning', 'response discriminator removed'),
  'response-header-schema-changed': rule('warning', 'response header schema changed (readers of it may see values they did not expect)'),
  'response-additional-properties-opened': rule('warning', 'response object opened to extra properties'),
  'response-additional-properties-closed': rule('info', 'response object closed to extra properties'),

  ...boundRules(),
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof rules;
