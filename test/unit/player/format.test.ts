import { describe, expect, it } from 'vitest';
import { formatClock, formatDay, formatDurationShort, formatUser } from '../../../player/src/format';
import { uuidv7 } from '../../../shared/uuid';

describe('formatting', () => {
  it('formats the playhead, axis durations and days', () => {
    expect([0, 7_900, 754_000, 3_723_000].map(formatClock)).toEqual(['0:00', '0:07', '12:34', '1:02:03']);
    expect([45_000, 720_000, 5_400_000].map(formatDurationShort)).toEqual(['45 s', '12 min', '1.5 h']);
    expect(formatDay('2026-11-23')).toMatch(/23/);
  });
});

describe('formatUser', () => {
  it('names the identified user', () => {
    expect(formatUser('ada@shop.test', uuidv7(0, new Uint8Array(16)))).toBe('ada@shop.test');
  });

  it('tells apart anonymous devices created in the same millisecond', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    const a = uuidv7(now, new Uint8Array(16).fill(0x11));
    const b = uuidv7(now, new Uint8Array(16).fill(0x22));
    expect(formatUser(null, a)).toBe('device 11111111');
    expect(formatUser(null, b)).toBe('device 22222222');
  });
});
