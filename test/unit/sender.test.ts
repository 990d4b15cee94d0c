import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../recorder/sender';

describe('outcomeOf', () => {
  it('takes 2xx as acknowledged', () => {
    expect(outcomeOf(200, null)).toEqual({ kind: 'ok' });
    expect(outcomeOf(204, null)).toEqual({ kind: 'ok' });
  });

  it('drops on answers a retry cannot change', () => {
    for (const status of [400, 401, 403, 404, 413]) expect(outcomeOf(status, null)).toEqual({ kind: 'refused', status });
  });

  it('retries anything else, passing Retry-After on', () => {
    expect(outcomeOf(429, '2')).toEqual({ kind: 'retry', retryAfter: '2' });
    expect(outcomeOf(503, null)).toEqual({ kind: 'retry', retryAfter: null });
  });
});
