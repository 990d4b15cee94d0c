import { describe, expect, it } from 'vitest';
import { durationScale, niceScale } from '../../../../player/src/charts/niceScale';

describe('chart scales', () => {
  it('rounds an axis up to steps of 1, 2 or 5', () => {
    expect(niceScale(7, 4)).toEqual({ max: 8, step: 2 });
    expect(niceScale(230, 4)).toEqual({ max: 300, step: 100 });
    expect(niceScale(3, 4, true)).toEqual({ max: 3, step: 1 });
    expect(niceScale(0, 4, true)).toEqual({ max: 4, step: 1 });
  });

  it('steps a duration axis in round units', () => {
    expect(durationScale(50_000)).toEqual({ max: 60_000, step: 15_000 });
    expect(durationScale(5 * 3_600_000)).toEqual({ max: 6 * 3_600_000, step: 2 * 3_600_000 });
  });
});
