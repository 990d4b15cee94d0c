import { describe, expect, it } from 'vitest';
import { formatClock, formatDay, formatDurationShort } from '../../../player/src/format';

describe('formatting', () => {
  it('formats the playhead, axis durations and days', () => {
    expect([0, 7_900, 754_000, 3_723_000].map(formatClock)).toEqual(['0:00', '0:07', '12:34', '1:02:03']);
    expect([45_000, 720_000, 5_400_000].map(formatDurationShort)).toEqual(['45 s', '12 min', '1.5 h']);
    expect(formatDay('2026-11-23')).toMatch(/23/);
  });
});
