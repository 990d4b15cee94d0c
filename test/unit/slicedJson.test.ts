import { describe, expect, it } from 'vitest';
import { SlicedJson } from '../../recorder/slicedJson';

/** Writes `value` in the smallest slices: one step per call. */
function writeInSteps(value: unknown): { text: string; steps: number } {
  const writer = new SlicedJson(value);
  let steps = 1;
  while (!writer.write(() => false)) steps++;
  return { text: writer.text(), steps };
}

describe('SlicedJson', () => {
  it('writes the text JSON.stringify gives, whatever the shape', () => {
    const wide = Array.from({ length: 4_000 }, (_, i) => ({ id: i, name: `n${i}`, tags: [i, null, true] }));
    const values: unknown[] = [
      { a: 1, nested: { list: wide, skipped: undefined, fn: () => 1 }, last: 'x' },
      [wide, [], {}, [undefined, () => 1, Symbol('s')], wide],
      { date: new Date(0), text: 'é\u2028"quoted"\n'.repeat(5_000), emoji: '😀'.repeat(3_000), empty: {} },
      { deep: Array.from({ length: 200 }, () => wide.slice(0, 20)), n: -0, big: 1e21, nan: NaN },
      { first: undefined, second: wide, third: undefined },
      wide,
    ];
    for (const value of values) expect(writeInSteps(value).text).toBe(JSON.stringify(value));
  });

  it('takes many small steps for a large tree, and one for a value it can stringify whole', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => ({ id: i, childNodes: [{ id: i, text: 'row' }] }));
    expect(writeInSteps({ node: { childNodes: wide } }).steps).toBeGreaterThan(20);
    expect(writeInSteps({ small: [1, 2, 3] }).steps).toBeLessThan(5);
  });

  it('writes on while there is time', () => {
    const value = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i })) };
    const writer = new SlicedJson(value);
    expect(writer.write(() => true)).toBe(true);
    expect(writer.text()).toBe(JSON.stringify(value));
  });
});
