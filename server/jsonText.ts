/**
 * Raw JSON text in and out. In: the raw text of a member of a JSON object, as sent:
 * `memberText('{"a": 1e999}', 'a')` is `1e999`. Used to store result_detail exactly as the Agent sent it
 * (no re-serialisation: no rounding of long numbers, no null for 1e999, no stack overflow on deep
 * nesting). The text must be valid JSON (the body parser has parsed it already); like JSON.parse, the last
 * of duplicate keys wins. Out: a stored object serialised as the text it was stored as (stringifyJson), so
 * that what an operator reads back is exactly what was sent.
 */
import { randomBytes } from 'node:crypto';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** The raw text of top-level member `key` of the JSON object `text`, or undefined when it has none. */
export function memberText(text: string, key: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  let found: string | undefined;
  while (i < text.length && text[i] !== '}') {
    const keyEnd = stringEnd(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    const valueEnd = valueEndAt(text, i);
    if (name === key) found = text.slice(i, valueEnd);
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return found;
}

function skipSpace(text: string, i: number): number {
  while (WHITESPACE.has(text[i] as string)) i++;
  return i;
}

/** The index just after the string that opens at `i` (a `"`), escapes skipped. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  throw new SyntaxError('unterminated string in JSON');
}

/** The index just after the value that starts at `i`: a string, an object or array (by depth, iteratively), or a literal. */
function valueEndAt(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return stringEnd(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (c === '"') j = stringEnd(text, j) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError('unterminated object or array in JSON');
  }
  let j = i;
  while (j < text.length && !WHITESPACE.has(text[j] as string) && text[j] !== ',' && text[j] !== '}' && text[j] !== ']') j++;
  return j;
}

/** On an object parsed from JSON text: that text, which stringifyJson writes in its place. */
const RAW_TEXT = Symbol('rawText');
/** On a value to serialise: some object inside it carries RAW_TEXT (only then does stringifyJson look). */
const HOLDS_RAW_TEXT = Symbol('holdsRawText');

/**
 * The JSON object `text` holds (valid JSON, as stored), serialised back as exactly `text`: no 1e999 as null,
 * no rounding, no duplicate key dropped. `parsed`: the object already parsed from it, marked instead of parsing again.
 */
export function rawJsonObject(text: string, parsed: Record<string, unknown> = JSON.parse(text) as Record<string, unknown>): Record<string, unknown> {
  return Object.defineProperty(parsed, RAW_TEXT, { value: text });
}

/** Marks `value` as holding rawJsonObject()s, for stringifyJson; returns it. */
export function holdingRawJson<T extends object>(value: T): T {
  Object.defineProperty(value, HOLDS_RAW_TEXT, { value: true });
  return value;
}

/** JSON.stringify, except that each rawJsonObject() inside a value marked by holdingRawJson() is written as its text. */
export function stringifyJson(value: unknown, space?: number): string {
  if (typeof value !== 'object' || value === null || !(HOLDS_RAW_TEXT in value)) return JSON.stringify(value, null, space);
  const texts: string[] = [];
  // a placeholder no serialised string can equal: it starts with U+0000, which JSON escapes, and a random tag
  const tag = `\u0000${randomBytes(8).toString('hex')}:`;
  const json = JSON.stringify(
    value,
    (_key, member: unknown) => {
      if (typeof member !== 'object' || member === null || !(RAW_TEXT in member)) return member;
      texts.push((member as { [RAW_TEXT]: string })[RAW_TEXT]);
      return `${tag}${texts.length - 1}`;
    },
    space,
  );
  const placeholder = new RegExp(`"${JSON.stringify(tag).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  return json.replace(placeholder, (_match, i: string) => texts[Number(i)] as string);
}
