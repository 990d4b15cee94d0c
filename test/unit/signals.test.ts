import { describe, expect, it } from 'vitest';
import { createSignalTracker, isSignalKind, keptSignalTimes, type Click, type SignalKind } from '../../shared/signals';

/** One thing the page did, at a time in ms. */
type Step =
  | ['click', number, { x?: number; y?: number; target?: string; dead?: boolean }?]
  | ['change', number]
  | ['error', number]
  | ['tick', number];

/** Runs the steps through a tracker; returns each signal as "kind@clickTime(target)". */
function run(steps: Step[]): string[] {
  const tracker = createSignalTracker<string>();
  const found: string[] = [];
  const note = (signals: { kind: SignalKind; click: Click<string> }[]) =>
    found.push(...signals.map((s) => `${s.kind}@${s.click.at}(${s.click.target})`));
  for (const step of steps) {
    if (step[0] === 'click') {
      const { x = 100, y = 100, target = 'button', dead = true } = step[2] ?? {};
      note(tracker.click({ at: step[1], x, y, target, deadCandidate: dead }));
    } else if (step[0] === 'change') tracker.change(step[1]);
    else if (step[0] === 'error') note(tracker.error(step[1]));
    else note(tracker.tick(step[1]));
  }
  return found;
}

const clicks = (times: number[], extra: { x?: number; y?: number; target?: string; dead?: boolean } = {}): Step[] =>
  times.map((t) => ['click', t, { ...extra }]);

describe('rage clicks', () => {
  it.each<[string, Step[], string[]]>([
    ['three clicks within 1 s at one spot', clicks([0, 300, 600], { dead: false }), ['rage@0(button)']],
    ['five fast clicks are one burst', clicks([0, 100, 200, 300, 400], { dead: false }), ['rage@0(button)']],
    ['exactly 1 s from first to third', clicks([0, 500, 1000], { dead: false }), ['rage@0(button)']],
    ['1001 ms from first to third', clicks([0, 500, 1001], { dead: false }), []],
    ['two clicks are not enough', clicks([0, 100], { dead: false }), []],
    [
      'a slow run whose last three are fast',
      clicks([0, 900, 1800, 2000, 2200], { dead: false }),
      ['rage@1800(button)'],
    ],
    [
      'the third 31 px away starts a new burst',
      [...clicks([0, 100], { dead: false }), ['click', 200, { x: 131, dead: false }]],
      [],
    ],
    [
      '30 px away (diagonal 18,24) still counts',
      [...clicks([0, 100], { dead: false }), ['click', 200, { x: 118, y: 124, dead: false }]],
      ['rage@0(button)'],
    ],
    [
      'a label forwarding each click to its control (same ms, same spot) doubles no click',
      [...clicks([0, 0, 400, 400], { dead: false })],
      [],
    ],
    [
      'a hundred clicks 100 ms apart are one burst',
      clicks(Array.from({ length: 100 }, (_, i) => i * 100), { dead: false }),
      ['rage@0(button)'],
    ],
    [
      'two bursts separated by a pause are two rage clicks',
      clicks([0, 100, 200, 1500, 1600, 1700], { dead: false }),
      ['rage@0(button)', 'rage@1500(button)'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });
});

describe('dead clicks', () => {
  it.each<[string, Step[], string[]]>([
    ['no change for 7 s', [['click', 0], ['tick', 7_000]], ['dead@0(button)']],
    ['not yet at 6999 ms', [['click', 0], ['tick', 6_999]], []],
    ['a change 6999 ms later saves it', [['click', 0], ['change', 6_999], ['tick', 7_000]], []],
    ['a change in the same ms (a synchronous handler) saves it', [['click', 5], ['change', 5], ['tick', 7_005]], []],
    ['a change before the click does not', [['change', 0], ['click', 1], ['tick', 7_001]], ['dead@1(button)']],
    ['a click that may not be dead (new tab, field) never is', [['click', 0, { dead: false }], ['tick', 7_000]], []],
    ['reported once', [['click', 0], ['tick', 7_000], ['tick', 14_000]], ['dead@0(button)']],
    [
      'the same element clicked again while waiting is one dead click',
      [['click', 0], ['click', 2_000], ['tick', 9_000]],
      ['dead@0(button)'],
    ],
    [
      'two elements are two dead clicks',
      [['click', 0, { target: 'a' }], ['click', 2_000, { target: 'b', x: 500 }], ['tick', 9_000]],
      ['dead@0(a)', 'dead@2000(b)'],
    ],
    [
      'a change between two clicks saves only the first',
      [['click', 0, { target: 'a' }], ['change', 1_000], ['click', 2_000, { target: 'b', x: 500 }], ['tick', 9_000]],
      ['dead@2000(b)'],
    ],
    [
      'five fast clicks on a dead button: one rage, one dead',
      [...clicks([0, 100, 200, 300, 400]), ['tick', 7_400]],
      ['rage@0(button)', 'dead@0(button)'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });
});

describe('error clicks', () => {
  it.each<[string, Step[], string[]]>([
    ['an error in the handler (same ms)', [['click', 0, { dead: false }], ['error', 0]], ['error@0(button)']],
    ['an error 1 s later', [['click', 0, { dead: false }], ['error', 1_000]], ['error@0(button)']],
    ['an error 1001 ms later is not', [['click', 0, { dead: false }], ['error', 1_001]], []],
    ['an error with no click', [['error', 0]], []],
    ['several errors after one click count once', [['click', 0, { dead: false }], ['error', 10], ['error', 20]], ['error@0(button)']],
    [
      'each of two clicks followed by an error',
      [['click', 0, { dead: false }], ['error', 1], ['click', 2_000, { dead: false }], ['error', 2_001]],
      ['error@0(button)', 'error@2000(button)'],
    ],
    ['an error click is not also dead', [['click', 0], ['error', 5], ['tick', 7_000]], ['error@0(button)']],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });
});

describe('isSignalKind', () => {
  it.each([['rage', true], ['dead', true], ['error', true], ['Rage', false], ['', false], [null, false], [3, false]])('%s → %s', (value, expected) => {
    expect(isSignalKind(value)).toBe(expected);
  });
});

describe('keptSignalTimes', () => {
  it.each<[string, number[], number[]]>([
    ['none', [], []],
    ['a minute apart or less: the first stands for them', [0, 30_000, 60_000], [0]],
    ['over a minute after the last kept one', [0, 60_001, 90_000, 120_002], [0, 60_001, 120_002]],
    ['a burst every second for 10 minutes: one a minute', Array.from({ length: 600 }, (_, i) => i * 1_000), [0, 61_000, 122_000, 183_000, 244_000, 305_000, 366_000, 427_000, 488_000, 549_000]],
  ])('%s', (_name, times, kept) => {
    expect(keptSignalTimes(times, 60_000)).toEqual(kept);
  });
});
