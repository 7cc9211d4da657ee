/**
 * The raw text of a member of a JSON object, as sent: `memberText('{"a": 1e999}', 'a')` is `1e999`. Used to
 * store result_detail exactly as the Agent sent it (no re-serialisation: no rounding of long numbers, no
 * null for 1e999, no stack overflow on deep nesting). The text must be valid JSON (the body parser has
 * parsed it already); like JSON.parse, the last of duplicate keys wins.
 */

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
