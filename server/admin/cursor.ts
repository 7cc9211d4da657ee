/** Opaque page cursors: the key the next page starts after, tagged with its list, base64url-encoded. */
import { SmsError } from '../errors.js';
import { allowsServerId, serverIdRule, type ServerIdRule } from '../spec.js';

/** The spec's server_id rule, read once on first use: a sources cursor holds a server_id, and nothing else. */
let serverIds: ServerIdRule | undefined;

/** The lists that page, each with the tag its cursors carry and the kind of key they hold. */
const LISTS = { sources: { tag: 's', key: 'text' }, commands: { tag: 'c', key: 'id' }, results: { tag: 'r', key: 'id' } } as const;
export type PagedList = keyof typeof LISTS;
type Key<L extends PagedList> = (typeof LISTS)[L]['key'] extends 'id' ? number : string;

/** The cursor of the page that starts after `key` in `list`. */
export function encodeCursor<L extends PagedList>(list: L, key: Key<L>): string {
  return encodeText(`${LISTS[list].tag}:${key}`);
}

const encodeText = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The key a cursor of `list` holds; SmsError invalidCursor for anything this API did not give out for that list. */
export function decodeCursor<L extends PagedList>(list: L, cursor: string): Key<L> {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const prefix = `${LISTS[list].tag}:`;
  // encoded back, it must be the cursor itself: bytes that are not UTF-8 (decoded as U+FFFD) are no cursor of ours
  if (!text.startsWith(prefix) || text.length === prefix.length || encodeText(text) !== cursor) throw new SmsError('invalidCursor');
  const key = text.slice(prefix.length);
  if (LISTS[list].key === 'text') {
    // a server_id as the spec allows it (U+0000 in a key made PostgreSQL fail the query: a 500)
    serverIds ??= serverIdRule();
    if (!allowsServerId(serverIds, key)) throw new SmsError('invalidCursor');
    return key as Key<L>;
  }
  if (!/^[1-9]\d{0,15}$/.test(key) || !Number.isSafeInteger(Number(key))) throw new SmsError('invalidCursor');
  return Number(key) as Key<L>;
}

/** A page of a list: the items, and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Makes a page from up to limit + 1 rows read: the extra row only tells that there is a next page. */
export function toPage<T, L extends PagedList>(list: L, rows: T[], limit: number, keyOf: (item: T) => Key<L>): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(list, keyOf(items[items.length - 1] as T)) };
}
