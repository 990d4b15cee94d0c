import { describe, expect, it } from 'vitest';
import { momentLink, parseMoment } from '../../../../player/src/replay/deepLink';

describe('deep links', () => {
  it('reads ?t= in seconds and the window', () => {
    expect(parseMoment('?t=12.5&window=w2')).toEqual({ ms: 12_500, windowId: 'w2' });
    expect(parseMoment('?t=')).toEqual({ ms: null, windowId: null });
    expect(parseMoment('?t=-1')).toEqual({ ms: null, windowId: null });
    expect(parseMoment('?t=soon')).toEqual({ ms: null, windowId: null });
  });

  it('writes a link to a tenth of a second, never later than the moment', () => {
    expect(momentLink('https://r.test', 'abc', 12_399, null)).toBe('https://r.test/sessions/abc?t=12.3');
    expect(momentLink('https://r.test', 'abc', 0, 'w2')).toBe('https://r.test/sessions/abc?t=0&window=w2');
    expect(parseMoment(new URL(momentLink('https://r.test', 'abc', 65_000, null)).search).ms).toBe(65_000);
  });
});
