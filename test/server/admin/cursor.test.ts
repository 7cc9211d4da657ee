/** server/admin/cursor.ts: opaque cursors round-trip, belong to one list, and anything else is a 400 SMS.2001. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from '../../../server/admin/cursor.js';

describe('page cursors', () => {
  it('round-trip the key of their list', () => {
    expect(decodeCursor('results', encodeCursor('results', 42))).toBe(42);
    expect(decodeCursor('commands', encodeCursor('commands', Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeCursor('sources', encodeCursor('sources', 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f'))).toBe('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f');
    expect(decodeCursor('sources', encodeCursor('sources', 'a'.repeat(36)))).toBe('a'.repeat(36));
    expect(decodeCursor('sources', encodeCursor('sources', 'A_-9'))).toBe('A_-9');
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
    ['a sources key with U+0000', () => decodeCursor('sources', Buffer.from('s:a\u0000').toString('base64url'))],
    ['a sources key of bytes that are not UTF-8', () => decodeCursor('sources', Buffer.from([0x73, 0x3a, 0x61, 0xc3]).toString('base64url'))],
    ['a sources key no server_id matches', () => decodeCursor('sources', Buffer.from('s:a b').toString('base64url'))],
    ['a sources key longer than a server_id', () => decodeCursor('sources', Buffer.from(`s:${'a'.repeat(37)}`).toString('base64url'))],
    ['a cursor that is not the canonical encoding of its key', () => decodeCursor('results', `${encodeCursor('results', 42)}A`)],
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
