/** server/admin/cursor.ts: opaque cursors round-trip, belong to one list, and anything else is a 400 SMS.2001. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from '../../server/admin/cursor.js';

describe('page cursors', () => {
  it('round-trip the key of their list', () => {
    expect(decodeCursor('results', encodeCursor('results', 42))).toBe(42);
    expect(decodeCursor('commands', encodeCursor('commands', Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeCursor('sources', encodeCursor('sources', 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f'))).toBe('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f');
    expect(encodeCursor('results', 7)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['a cursor of another list', () => decodeCursor('results', encodeCursor('commands', 3))],
    ['a sources cursor for results', () => decodeCursor('results', encodeCursor('sources', 'abc'))],
    ['not base64url', () => decodeCursor('sources', 'not a cursor!')],
    ['no key', () => decodeCursor('sources', Buffer.from('s:').toString('base64url'))],
    ['a key that is not an ID', () => decodeCursor('results', Buffer.from('r:12abc').toString('base64url'))],
    ['a zero ID', () => decodeCursor('results', Buffer.from('r:0').toString('base64url'))],
    ['an ID past 2^53', () => decodeCursor('results', Buffer.from('r:9007199254740993').toString('base64url'))],
  ])('refuse %s with the error table\'s invalidCursor', (_what, decode) => {
    expect(decode).toThrow(expect.objectContaining({ kind: 'invalidCursor', status: 400, code: 'SMS.2001' }));
  });

  it('make a page from limit + 1 rows: the extra row only says there is a next page', () => {
    expect(toPage('results', [{ id: 9 }, { id: 8 }], 2, (r) => r.id)).toEqual({ items: [{ id: 9 }, { id: 8 }], nextCursor: null });
    const page = toPage('results', [{ id: 9 }, { id: 8 }, { id: 7 }], 2, (r) => r.id);
    expect(page.items).toEqual([{ id: 9 }, { id: 8 }]);
    expect(decodeCursor('results', page.nextCursor as string)).toBe(8);
  });
});
