import { describe, expect, it } from 'vitest';
import { isShareLive, SHARE_DEFAULT_HOURS, shareExpiresAt } from '../../server/shares/shareExpiry';
import { hashShareSecret, newShareToken, parseShareToken, shareSecretMatches } from '../../server/shares/shareToken';

describe('share tokens', () => {
  it('are a UUID and 256 random bits, different every time', () => {
    const tokens = Array.from({ length: 50 }, () => newShareToken());
    expect(new Set(tokens.map((t) => t.secret)).size).toBe(50);
    for (const { id, secret, token } of tokens) {
      expect(token).toBe(`${id}.${secret}`);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      expect(parseShareToken(token)).toEqual({ id, secret });
    }
  });

  it('parse only in their exact form', () => {
    const { id, secret } = newShareToken();
    for (const bad of [undefined, 42, '', id, `${id}.`, `.${secret}`, `${id}.${secret}.x`, `${id}.${secret}=`, `${id}.${secret.slice(1)}`, `x${id}.${secret}`, `${id}.${secret.slice(1)}/`]) {
      expect(parseShareToken(bad), String(bad)).toBeNull();
    }
    expect(parseShareToken(`${id.toUpperCase()}.${secret}`)).toEqual({ id, secret });
  });

  it('match only the secret whose SHA-256 is stored', () => {
    const { secret } = newShareToken();
    const stored = hashShareSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(shareSecretMatches(secret, stored)).toBe(true);
    expect(shareSecretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, stored)).toBe(false);
    expect(shareSecretMatches(secret, stored.slice(2))).toBe(false);
    expect(shareSecretMatches(secret, '')).toBe(false);
  });
});

describe('share expiry', () => {
  it('lives up to, not including, its hour count after creation', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const expiresAt = shareExpiresAt(now, SHARE_DEFAULT_HOURS);
    expect(expiresAt).toBe(Date.parse('2026-12-07T12:00:00Z'));
    expect(isShareLive(expiresAt, expiresAt - 1)).toBe(true);
    expect(isShareLive(expiresAt, expiresAt)).toBe(false);
  });
});
