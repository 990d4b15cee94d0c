/**
 * Folding batches' spans into a session from the neighbouring stored spans only gives the
 * active time and idle gaps of merging all of them at once, in whatever order batches arrive.
 */
import { expect, it } from 'vitest';
import { foldSpans } from '../../server/storage/queries/foldSpans';
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import { activeTime, idleGaps, mergeSpans, type Span } from '../../shared/session';

/** The run of stored spans NEIGHBOURING_SPANS reads for `added`: two before, those within, one after. */
function neighbours(stored: Span[], added: Span[]): Span[] {
  const lo = Math.min(...added.map(([s]) => s)) - ACTIVE_IDLE_MS;
  const hi = Math.max(...added.map(([, e]) => e)) + ACTIVE_IDLE_MS;
  const before = stored.filter(([s]) => s < lo).slice(-2);
  const within = stored.filter(([s]) => s >= lo && s <= hi);
  const after = stored.filter(([s]) => s > hi).slice(0, 1);
  return [...before, ...within, ...after];
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

it('matches merging every span at once, over shuffled batches of varied spacing', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const next = random(seed);
    const batches: Span[][] = [];
    let t = 1_000_000;
    for (let b = 0; b < 12; b++) {
      const spans: Span[] = [];
      for (let s = 0; s < 1 + Math.floor(next() * 3); s++) {
        // Gaps around ACTIVE_IDLE_MS and IDLE_GAP_MS, so spans merge across batches and gaps open and close.
        t += [0, ACTIVE_IDLE_MS - 1, ACTIVE_IDLE_MS + 1, IDLE_GAP_MS + 1, 3 * IDLE_GAP_MS][Math.floor(next() * 5)];
        const length = Math.floor(next() * 20_000);
        spans.push([t, t + length]);
        t += length;
      }
      batches.push(mergeSpans(spans, ACTIVE_IDLE_MS));
    }
    const order = batches.map((_b, i) => i).sort(() => next() - 0.5);
    let stored: Span[] = [];
    let gaps: Span[] = [];
    let active = 0;
    for (const i of order) {
      const run = neighbours(stored, batches[i]);
      const fold = foldSpans(run, batches[i], gaps);
      const runStarts = new Set(run.map(([s]) => s));
      stored = [...stored.filter(([s]) => !runStarts.has(s)), ...fold.merged].sort((a, b) => a[0] - b[0]);
      gaps = fold.gaps;
      active += fold.addedActiveMs;
    }
    const all = mergeSpans(batches.flat(), ACTIVE_IDLE_MS);
    expect({ seed, stored, gaps, active }).toEqual({ seed, stored: all, gaps: idleGaps(all, IDLE_GAP_MS), active: activeTime(all) });
  }
});
