/** Axis scaling for the charts. Pure. */

interface Scale {
  /** Top of the axis: a multiple of `step` at or above the data's maximum. */
  max: number;
  step: number;
}

/**
 * A round axis for values up to `max`: steps of 1, 2 or 5 × 10ⁿ, about `ticks` of them.
 * Counts need whole steps, so `integer` keeps the step at 1 or more.
 */
export function niceScale(max: number, ticks = 4, integer = false): Scale {
  if (!(max > 0)) return { max: integer ? ticks : 1, step: integer ? 1 : 1 / ticks };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const safeStep = integer ? Math.max(1, Math.ceil(step)) : step;
  return { max: Math.ceil(max / safeStep) * safeStep, step: safeStep };
}

/** Steps of a duration axis in ms: round seconds, minutes or hours. */
const DURATION_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** A duration axis for values up to `maxMs`, about `ticks` steps, each a round duration. */
export function durationScale(maxMs: number, ticks = 4): Scale {
  if (!(maxMs > 0)) return { max: ticks * 60_000, step: 60_000 };
  const rough = maxMs / ticks;
  const step = DURATION_STEPS_MS.find((s) => s >= rough) ?? niceScale(maxMs, ticks).step;
  return { max: Math.ceil(maxMs / step) * step, step };
}
