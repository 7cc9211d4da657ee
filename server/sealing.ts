/**
 * Sealing of access keys' secret keys (SKs): the server must hold an SK to check a signature, so it is kept
 * encrypted (AES-256-GCM, the access key ID as associated data) under a sealing key the database never
 * sees. Sealing keys are a ring, `ID:BASE64KEY` entries separated by commas or new lines: the first seals,
 * every one opens (rotation: put a new key first, `npm run admin -- keys reseal`, then drop the old one).
 * The ring comes from SEALING_KEYS; without it, a SQLite database file gets a key file beside it (created
 * 0600 on first use), an in-memory database a key of its own, and PostgreSQL none (the operator sets one).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Seals and opens secrets, each bound to the ID it belongs to. */
export interface Sealer {
  /** The sealed text of `secret` for `owner` (under the ring's first key). */
  seal(secret: string, owner: string): string;
  /** The secret sealed for `owner`; throws when no key of the ring opens it, or it was altered. */
  open(sealed: string, owner: string): string;
  /** Whether `sealed` is sealed under the ring's first key (`keys reseal` skips those). */
  isCurrent(sealed: string): boolean;
}

const ENTRY = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]{43}=)$/;
const FORMAT = 'v1';
const SEALED = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

/** A new sealing key entry, `ID:BASE64KEY` (256 random bits); the default ID is the day and 6 random hex digits (IDs must differ across rotations). */
export function newSealingKey(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** The ring a SEALING_KEYS value or key file holds; throws naming what is wrong with it. */
export function parseSealingKeys(text: string, source: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  const lines = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  for (const entry of lines.flatMap((line) => line.split(',')).map((e) => e.trim()).filter((e) => e !== '')) {
    const match = ENTRY.exec(entry);
    if (match === null) throw new Error(`${source}: each sealing key is ID:BASE64 (an ID of letters, digits, - or _; 32 bytes in base64), such as ${newSealingKey('k1').slice(0, 12)}...; make one with \`npm run admin -- keys new-sealing-key\``);
    const [, id, key] = match as unknown as [string, string, string];
    if (ring.has(id)) throw new Error(`${source}: sealing key ${id} is given twice`);
    ring.set(id, Buffer.from(key, 'base64'));
  }
  if (ring.size === 0) throw new Error(`${source}: no sealing key; make one with \`npm run admin -- keys new-sealing-key\``);
  return ring;
}

/** How many opened SKs a sealer keeps, so that a key's requests do not each decrypt it (it starts over when full). */
export const OPENED_CACHE_SIZE = 10_000;

/** A Sealer over a ring (the first key seals); what it opened it keeps, by owner and sealed text. */
export function ringSealer(ring: Map<string, Buffer>): Sealer {
  const [currentId, currentKey] = ring.entries().next().value as [string, Buffer];
  // by owner: the sealed text it was opened from, and the secret
  const opened = new Map<string, { sealed: string; secret: string }>();
  const open = (sealed: string, owner: string): string => {
    const hit = opened.get(owner);
    if (hit !== undefined && hit.sealed === sealed) return hit.secret;
    const secret = decrypt(ring, sealed, owner);
    if (opened.size >= OPENED_CACHE_SIZE) opened.clear();
    opened.set(owner, { sealed, secret });
    return secret;
  };
  return {
    seal(secret, owner) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv).setAAD(Buffer.from(owner));
      const text = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [FORMAT, currentId, iv.toString('base64url'), text.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open,
    isCurrent(sealed) {
      return SEALED.exec(sealed)?.[1] === currentId;
    },
  };
}

/** The secret sealed for `owner` under a key of the ring; throws saying why it does not open. */
function decrypt(ring: Map<string, Buffer>, sealed: string, owner: string): string {
  const match = SEALED.exec(sealed);
  if (match === null) throw new Error(`the secret key of ${owner} is not sealed text this server reads`);
  const [, id, iv, text, tag] = match as unknown as [string, string, string, string, string];
  const key = ring.get(id);
  if (key === undefined) throw new Error(`the secret key of ${owner} is sealed under key ${id}, which this server does not have: give it in SEALING_KEYS (every instance and the admin CLI need the same keys)`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(owner));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(text, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error(`the secret key of ${owner} does not open with sealing key ${id}: it was altered, or the key is not the one it was sealed with`, { cause: err });
  }
}

/** A Sealer that refuses: no sealing key is configured (PostgreSQL without SEALING_KEYS). */
export function missingSealer(reason: string): Sealer {
  const fail = (): never => {
    throw new Error(reason);
  };
  return { seal: fail, open: fail, isCurrent: fail };
}

/** The sealer for a deployment: SEALING_KEYS when given; else the database's default (see the module comment). */
export function sealerFor(sealingKeys: string | undefined, databaseUrl: string): Sealer {
  if (sealingKeys !== undefined && sealingKeys.trim() !== '') return ringSealer(parseSealingKeys(sealingKeys, 'SEALING_KEYS'));
  if (databaseUrl === 'sqlite::memory:') return ringSealer(parseSealingKeys(newSealingKey('memory'), 'an in-memory key'));
  if (databaseUrl.startsWith('sqlite:')) {
    const file = `${databaseUrl.slice('sqlite:'.length)}.sealing-keys`;
    if (!existsSync(file)) {
      try {
        writeFileSync(file, `# sealing keys of the access keys' SKs in ${databaseUrl} (server/sealing.ts); back it up with the database, never in it\n${newSealingKey()}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first: read theirs
      }
    }
    return ringSealer(parseSealingKeys(readFileSync(file, 'utf8'), file));
  }
  return missingSealer('SEALING_KEYS is not set, so access keys cannot be issued or checked on this PostgreSQL database: set the same SEALING_KEYS on every instance and the admin CLI (make one with `npm run admin -- keys new-sealing-key`)');
}
