/** server/store/rows.ts: the command counts fold cancelled commands and expired leases apart, and ignore a state they do not know. */
import { describe, expect, it } from 'vitest';
import { countCommands } from '../../../server/store/rows.js';

describe('countCommands', () => {
  it('counts cancelled commands and expired leases apart from their state, PostgreSQL booleans and strings too', () => {
    expect(
      countCommands([
        { state: 'pending', expired: 0, cancelled: 0, n: 3 },
        { state: 'leased', expired: 0, cancelled: 0, n: 2 },
        { state: 'leased', expired: true, cancelled: false, n: '4' },
        { state: 'done', expired: 1, cancelled: 0, n: 5 }, // a finished command whose lease time has passed is done, not expired
        { state: 'done', expired: null, cancelled: 1, n: 6 },
      ]),
    ).toEqual({ pending: 3, leased: 2, expired: 4, done: 5, cancelled: 6 });
  });

  it('ignores a state it does not know, instead of adding a key', () => {
    expect(countCommands([{ state: 'archived', expired: 0, cancelled: 0, n: 7 }])).toEqual({ pending: 0, leased: 0, expired: 0, done: 0, cancelled: 0 });
  });
});
