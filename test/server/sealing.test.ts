/**
 * server/sealing.ts: an SK sealed is not readable, opens only for its owner and under a key of the ring,
 * rotation reseals under the first key while old ones still open, SEALING_KEYS is checked, and each
 * database gets its default (a 0600 key file beside a SQLite file, a key of its own in memory, none on
 * PostgreSQL).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingSealer, newSealingKey, parseSealingKeys, ringSealer, sealerFor } from '../../server/sealing.js';

const SK = 'Q8vYk2bN5rT1wZ7mC4xD9fH3jL6pS0aE2gU5iO8e';

describe('sealing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-sealing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seals an SK so that it is not in the sealed text, opens it for its owner only, and seals anew each time', () => {
    const sealer = ringSealer(parseSealingKeys(newSealingKey('k1'), 'test'));
    const sealed = sealer.seal(SK, 'AK1');
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain(SK);
    expect(sealed).not.toContain(Buffer.from(SK).toString('base64url').slice(0, 12));
    expect(sealer.open(sealed, 'AK1')).toBe(SK);
    expect(sealer.seal(SK, 'AK1')).not.toBe(sealed);
    expect(() => sealer.open(sealed, 'AK2')).toThrow('the secret key of AK2 does not open with sealing key k1: it was altered, or the key is not the one it was sealed with');
  });

  it('refuses sealed text that was altered, is not sealed text, or names a key the ring lacks', () => {
    const sealer = ringSealer(parseSealingKeys(newSealingKey('k1'), 'test'));
    const sealed = sealer.seal(SK, 'AK1');
    const parts = sealed.split('.');
    const flipped = [...parts];
    flipped[3] = `${(parts[3] as string)[0] === 'A' ? 'B' : 'A'}${(parts[3] as string).slice(1)}`;
    expect(() => sealer.open(flipped.join('.'), 'AK1')).toThrow(/does not open/);
    expect(() => sealer.open(SK, 'AK1')).toThrow('the secret key of AK1 is not sealed text this server reads');
    expect(() => sealer.open(sealed.replace('.k1.', '.k9.'), 'AK1')).toThrow('the secret key of AK1 is sealed under key k9, which this server does not have: give it in SEALING_KEYS (every instance and the admin CLI need the same keys)');
    const other = ringSealer(parseSealingKeys(newSealingKey('k1'), 'test'));
    expect(() => other.open(sealed, 'AK1')).toThrow(/does not open with sealing key k1/);
  });

  it('rotates: the first key seals, every key of the ring opens, and isCurrent tells which need resealing', () => {
    const old = newSealingKey('old');
    const before = ringSealer(parseSealingKeys(old, 'test'));
    const sealedBefore = before.seal(SK, 'AK1');
    const after = ringSealer(parseSealingKeys(`${newSealingKey('new')},\n${old}`, 'test'));
    expect(after.open(sealedBefore, 'AK1')).toBe(SK);
    expect(after.isCurrent(sealedBefore)).toBe(false);
    const resealed = after.seal(after.open(sealedBefore, 'AK1'), 'AK1');
    expect(resealed.split('.')[1]).toBe('new');
    expect(after.isCurrent(resealed)).toBe(true);
    expect(before.isCurrent(sealedBefore)).toBe(true);
    expect(after.isCurrent('not sealed')).toBe(false);
  });

  it('reads a ring separated by commas or lines, with comments, and names what is wrong with a bad one', () => {
    const ring = parseSealingKeys(`# a comment\n${newSealingKey('a')}\n\n , ${newSealingKey('b-2_c')} ,`, 'SEALING_KEYS');
    expect([...ring.keys()]).toEqual(['a', 'b-2_c']);
    expect([...ring.values()].every((k) => k.length === 32)).toBe(true);
    const bad = ['', '# only a comment', 'k1', 'k1:short', `k 1:${'A'.repeat(43)}=`, `${'k'.repeat(33)}:${'A'.repeat(43)}=`];
    for (const text of bad) expect(() => parseSealingKeys(text, 'SEALING_KEYS'), JSON.stringify(text)).toThrow(/^SEALING_KEYS: .*npm run admin -- keys new-sealing-key/);
    const twice = newSealingKey('same');
    expect(() => parseSealingKeys(`${twice},${newSealingKey('same')}`, 'SEALING_KEYS')).toThrow('SEALING_KEYS: sealing key same is given twice');
    expect(newSealingKey()).toMatch(/^k\d{8}-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/);
    expect(newSealingKey().split(':')[0]).not.toBe(newSealingKey().split(':')[0]);
  });

  it('uses SEALING_KEYS when given, on any database', () => {
    const key = newSealingKey('given');
    const sealed = ringSealer(parseSealingKeys(key, 'x')).seal(SK, 'AK1');
    for (const url of ['postgres://db/x', `sqlite:${join(dir, 'given.sqlite')}`, 'sqlite::memory:']) expect(sealerFor(key, url).open(sealed, 'AK1')).toBe(SK);
    expect(existsSync(join(dir, 'given.sqlite.sealing-keys'))).toBe(false);
    expect(() => sealerFor('nonsense', 'sqlite::memory:')).toThrow(/^SEALING_KEYS: /);
  });

  it('makes a SQLite file a key file beside it (0600) on first use, and reads the same key afterwards', () => {
    const url = `sqlite:${join(dir, 'sms.sqlite')}`;
    const sealed = sealerFor(undefined, url).seal(SK, 'AK1');
    const file = join(dir, 'sms.sqlite.sealing-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^# sealing keys .*\nk\d{8}-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=\n$/);
    expect(sealerFor('', url).open(sealed, 'AK1')).toBe(SK);
    writeFileSync(file, 'broken');
    expect(() => sealerFor(undefined, url)).toThrow(`${file}: each sealing key is ID:BASE64`);
  });

  it('gives an in-memory database a key of its own, and PostgreSQL without SEALING_KEYS none (it says what to set)', () => {
    const memory = sealerFor(undefined, 'sqlite::memory:');
    expect(memory.open(memory.seal(SK, 'AK1'), 'AK1')).toBe(SK);
    const postgres = sealerFor(undefined, 'postgres://db/x');
    expect(() => postgres.seal(SK, 'AK1')).toThrow(/^SEALING_KEYS is not set, so access keys cannot be issued or checked on this PostgreSQL database/);
    expect(() => postgres.open('v1.k.x.y.z', 'AK1')).toThrow(/SEALING_KEYS is not set/);
    expect(() => missingSealer('why').isCurrent('x')).toThrow('why');
  });
});
