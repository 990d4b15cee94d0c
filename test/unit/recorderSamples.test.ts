/** The overhead benchmark's attribution of CPU profile samples to the recorder (bench/recorderSamples.ts). */
import { describe, expect, it } from 'vitest';
import { recorderMs, type CpuProfile } from '../../bench/recorderSamples';

const node = (id: number, url: string, children: number[] = []) => ({ id, callFrame: { url }, children });

/**
 * root ─ (program) 2 · (garbage collector) 3 · page function 4 ─ native 5
 *      └ recorder function 6 ─ native 7
 *                            └ page callback 8 ─ native 9
 */
const profile: CpuProfile = {
  nodes: [
    node(1, '', [2, 3, 4, 6]),
    node(2, ''),
    node(3, ''),
    node(4, 'http://site/app.js', [5]),
    node(5, ''),
    node(6, 'http://replay/recorder.js', [7, 8]),
    node(7, ''),
    node(8, 'http://site/app.js', [9]),
    node(9, ''),
  ],
  // Sample i lasts timeDeltas[i + 1] µs: 1, 2, 4, 8, 16, 32, 64, 128 (the last one's end is unknown).
  samples: [2, 3, 4, 5, 6, 7, 8, 9, 6],
  timeDeltas: [0, 1, 2, 4, 8, 16, 32, 64, 128],
};

describe("the recorder's own time in a CPU profile", () => {
  it('counts its functions and the natives they call, not the page code they call nor garbage collection', () => {
    // Recorder function 6 (16 µs) and native 7 under it (32 µs); the page callback 8 and its native 9 are the page's.
    expect(recorderMs(profile, (url) => url.endsWith('/recorder.js'))).toBeCloseTo(0.048, 6);
  });

  it("counts the page's functions and their natives as the page's", () => {
    // Page function 4 (4 µs), native 5 (8 µs), page callback 8 (64 µs), native 9 (128 µs).
    expect(recorderMs(profile, (url) => url.endsWith('/app.js'))).toBeCloseTo(0.204, 6);
  });
});
