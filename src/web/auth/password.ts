/**
 * Password hashes: scrypt from node:crypto (memory-hard, no native dependency to build), stored as
 * `scrypt$N$r$p$salt$hash` (base64) in the environment variable a user's `passwordHashEnv` names, so the
 * config file never holds one. Verification runs scrypt asynchronously (off the event loop) and compares in
 * constant time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export class PasswordHashError extends Error {
  override name = 'PasswordHashError';
}

const derive = (password: string, salt: Buffer, keyLen: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLen, { ...o, maxmem: 256 * o.N! * o.r! }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new PasswordHashError('the password is shorter than 8 characters');
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

/** Parses a stored hash; `where` names its origin (the env var) in the error. */
export function parseHash(stored: string, where: string): ParsedHash {
  const parts = stored.trim().split('$');
  const [kind, n, r, p, salt, key] = parts;
  const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : NaN);
  const parsed = { N: num(n), r: num(r), p: num(p) };
  if (
    parts.length !== 6 ||
    kind !== 'scrypt' ||
    !salt ||
    !key ||
    ![parsed.N, parsed.r, parsed.p].every((x) => Number.isInteger(x) && x > 0) ||
    (parsed.N & (parsed.N - 1)) !== 0 ||
    parsed.N > 1 << 20
  )
    throw new PasswordHashError(`${where} is not a password hash from \`flightwatch web hash-password\``);
  return { ...parsed, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function verifyPassword(password: string, hash: ParsedHash): Promise<boolean> {
  const key = await derive(password, hash.salt, hash.key.length, { N: hash.N, r: hash.r, p: hash.p });
  return key.length === hash.key.length && timingSafeEqual(key, hash.key);
}
