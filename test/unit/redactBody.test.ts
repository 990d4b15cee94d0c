import { describe, expect, it } from 'vitest';
import { REDACTED, redactBody } from '../../recorder/redactBody';

describe('redactBody', () => {
  it('redacts secret-looking JSON fields at any depth and keeps the rest', () => {
    const body = JSON.stringify({ user: 'jane', password: 'hunter2', nested: [{ apiKey: 'k-1', note: 'ok' }] });
    expect(JSON.parse(redactBody(body, 1_000) as string)).toEqual({
      user: 'jane',
      password: REDACTED,
      nested: [{ apiKey: REDACTED, note: 'ok' }],
    });
  });

  it('redacts form-encoded fields', () => {
    expect(redactBody('user=jane&passwd=hunter2', 1_000)).toBe(`user=jane&passwd=${encodeURIComponent(REDACTED)}`);
  });

  it('cuts long bodies at the cap and says how much was left out', () => {
    expect(redactBody('x'.repeat(10), 4)).toBe('xxxx… [6 more characters]');
  });

  it('passes other text and empty bodies through', () => {
    expect(redactBody('plain text', 100)).toBe('plain text');
    expect(redactBody(null, 100)).toBeNull();
    expect(redactBody(undefined, 100)).toBeUndefined();
  });
});
