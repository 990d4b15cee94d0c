/**
 * A share link's token: `<share id>.<secret>`. The id finds the stored link, the secret (256
 * random bits) proves the holder was given it; only the secret's SHA-256 is stored and it is
 * compared in constant time, so neither a copy of the database nor response timing reveals it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { UUID_PATTERN } from '../../shared/uuid';

/** Random bytes of a secret: 256 bits, far past guessing. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new link's id, secret and token. */
export interface NewShareToken {
  id: string;
  secret: string;
  token: string;
}

/** SHA-256 of a secret, hex: what the database keeps. */
export function hashShareSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Makes a fresh id and secret. */
export function newShareToken(): NewShareToken {
  const id = randomUUID();
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `${id}.${secret}` };
}

/** The id and secret of a well-formed token, else null (nothing else reaches the database). */
export function parseShareToken(token: unknown): { id: string; secret: string } | null {
  if (typeof token !== 'string') return null;
  const [id, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !UUID_PATTERN.test(id) || secret === undefined || !SECRET_PATTERN.test(secret)) return null;
  return { id: id.toLowerCase(), secret };
}

/** Whether `secret` hashes to `secretHash`, in time independent of where they differ. */
export function shareSecretMatches(secret: string, secretHash: string): boolean {
  const expected = Buffer.from(secretHash, 'hex');
  const given = Buffer.from(hashShareSecret(secret), 'hex');
  return expected.length === given.length && timingSafeEqual(given, expected);
}
