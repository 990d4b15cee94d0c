import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../../shared/uuid';

type Format = typeof import('../../../player/src/format');

/**
 * The formatters follow the viewer's locale, so the test pins it (en-GB) before the module builds
 * its Intl formatters: the exact strings then hold on any machine.
 */
const NativeDateTimeFormat = Intl.DateTimeFormat;
const NativeToLocaleString = Number.prototype.toLocaleString;
let format: Format;

beforeAll(async () => {
  function pinned(locales?: Intl.LocalesArgument, options?: Intl.DateTimeFormatOptions) {
    return new NativeDateTimeFormat(locales ?? 'en-GB', options);
  }
  vi.stubGlobal('Intl', { ...Intl, DateTimeFormat: pinned });
  Number.prototype.toLocaleString = function (locales?: Intl.LocalesArgument, options?: Intl.NumberFormatOptions) {
    return NativeToLocaleString.call(this, locales ?? 'en-GB', options);
  };
  format = await import('../../../player/src/format');
});

afterAll(() => {
  vi.unstubAllGlobals();
  Number.prototype.toLocaleString = NativeToLocaleString;
});

describe('formatting', () => {
  it('formats the playhead, axis durations and days', () => {
    expect([0, 7_900, 754_000, 3_723_000].map(format.formatClock)).toEqual(['0:00', '0:07', '12:34', '1:02:03']);
    expect([45_000, 720_000, 5_400_000].map(format.formatDurationShort)).toEqual(['45 s', '12 min', '1.5 h']);
    expect(['2026-11-23', '2026-01-05', 'not a day'].map(format.formatDay)).toEqual(['23 Nov', '5 Jan', 'not a day']);
  });

  it('formats lengths truncated, never rounded up, and counts with digit grouping', () => {
    expect([0, 12_345, 185_999, 3_720_000].map(format.formatDuration)).toEqual(['0 s', '12.3 s', '3 min 05 s', '1 h 02 min']);
    expect(format.formatCount(1_234_567)).toBe('1,234,567');
  });
});

describe('formatUser', () => {
  it('names the identified user', () => {
    expect(format.formatUser('ada@shop.test', uuidv7(0, new Uint8Array(16)))).toBe('ada@shop.test');
  });

  it('tells apart anonymous devices created in the same millisecond', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    const a = uuidv7(now, new Uint8Array(16).fill(0x11));
    const b = uuidv7(now, new Uint8Array(16).fill(0x22));
    expect(format.formatUser(null, a)).toBe('device 11111111');
    expect(format.formatUser(null, b)).toBe('device 22222222');
  });
});
