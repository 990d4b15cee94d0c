import { describe, expect, it } from 'vitest';
import { SlicedJson } from '../../recorder/slicedJson';
import { NODE_FIELDS_WEIGHT, SUBTREE_MAX_WEIGHT, weighJson } from '../../recorder/weighJson';

/** Writes `value` in the smallest slices: one step per call. */
function writeInSteps(value: unknown): { text: string; steps: number; longestStep: number } {
  const writer = new SlicedJson(value);
  let steps = 1;
  let longestStep = 0;
  let written = 0;
  const measure = () => {
    const length = writer.text().length;
    longestStep = Math.max(longestStep, length - written);
    written = length;
  };
  while (!writer.write(() => false)) {
    measure();
    steps++;
  }
  measure();
  return { text: writer.text(), steps, longestStep };
}

/** A value nested `depth` levels deep, alternating arrays and objects. */
function deep(depth: number): unknown {
  let value: unknown = { leaf: 'é' };
  for (let level = 0; level < depth; level++) value = level % 2 ? [value, level] : { level, value };
  return value;
}

describe('SlicedJson', () => {
  it('writes the text JSON.stringify gives, whatever the shape', () => {
    const wide = Array.from({ length: 4_000 }, (_, i) => ({ id: i, name: `n${i}`, tags: [i, null, true] }));
    // Large items with toJSON: their JSON is what toJSON returns, so they are never opened.
    const jsonable = { toJSON: () => ({ replaced: true }), ...Object.fromEntries(wide.map((row) => [`k${row.id}`, row])) };
    const values: unknown[] = [
      { a: 1, nested: { list: wide, skipped: undefined, fn: () => 1 }, last: 'x' },
      [wide, [], {}, [undefined, () => 1, Symbol('s')], wide],
      { date: new Date(0), text: 'é\u2028"quoted"\n'.repeat(5_000), emoji: '😀'.repeat(3_000), lone: '\ud800x\udfff', empty: {} },
      { deep: Array.from({ length: 200 }, () => wide.slice(0, 20)), n: -0, big: 1e21, nan: NaN, inf: -Infinity },
      { first: undefined, second: wide, third: undefined },
      wide,
      // Values without JSON among an array's items, at and across the runs' edges.
      wide.map((row, i) => (i % 97 === 0 ? undefined : i % 89 === 0 ? () => i : row)),
      [jsonable, jsonable],
      { one: jsonable, two: [jsonable] },
      // A toJSON that gives nothing: left out of an object, null in an array.
      { gone: { ...jsonable, toJSON: () => undefined }, kept: [{ ...jsonable, toJSON: () => undefined }] },
      // Items each too large for one run, then small ones, then large ones again.
      [...Array.from({ length: 3 }, () => wide.slice(0, 600)), 1, 'two', ...Array.from({ length: 3 }, () => wide.slice(0, 600))],
      deep(2_000),
      { huge: 'x'.repeat(3_000_000), after: wide },
      { [Symbol('hidden')]: wide, 'key "quoted"\n': wide, 'é😀': 1 },
      Object.assign(Object.create({ inherited: wide }), { own: wide }),
    ];
    for (const value of values) expect(writeInSteps(value).text).toBe(JSON.stringify(value));
  });

  it('writes a root without JSON as JSON.stringify does (null inside an array)', () => {
    expect(writeInSteps(42).text).toBe('42');
    expect(writeInSteps('text').text).toBe('"text"');
    expect(writeInSteps(null).text).toBe('null');
  });

  it('takes many small steps for a large tree, and one for a value it can stringify whole', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => ({ id: i, childNodes: [{ id: i, text: 'row' }] }));
    const tree = writeInSteps({ node: { childNodes: wide } });
    expect(tree.steps).toBeGreaterThan(20);
    // A step writes at most one run of about a subtree's weight (each value here is at most ~16 characters).
    expect(tree.longestStep).toBeLessThan(SUBTREE_MAX_WEIGHT * 16);
    expect(writeInSteps({ small: [1, 2, 3] }).steps).toBeLessThan(5);
  });

  it('writes on while there is time', () => {
    const value = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i })) };
    const writer = new SlicedJson(value);
    expect(writer.write(() => true)).toBe(true);
    expect(writer.text()).toBe(JSON.stringify(value));
  });
});

describe('weighJson', () => {
  it('counts every value, containers included', () => {
    expect(weighJson(1, 100)).toBe(99);
    expect(weighJson({ a: 1, b: [2, { c: 'x' }, null] }, 100)).toBe(100 - 7);
    expect(weighJson([[[]], {}], 100)).toBe(100 - 4);
  });

  it('counts a serialised DOM node by its attributes and children, whatever its other fields', () => {
    const text = { type: 3, textContent: 'row', id: 3 };
    const node = { type: 2, tagName: 'td', attributes: { class: 'a', style: 'b' }, childNodes: [text, text], id: 2, extra: { ignored: [1, 2, 3] } };
    // The node, its fixed fields, the attributes object and its 2 values, the array, and 2 × (text node + 3 values).
    expect(weighJson(node, 100)).toBe(100 - 1 - NODE_FIELDS_WEIGHT - 3 - 1 - 2 * 4);
    expect(weighJson({ childNodes: Array.from({ length: 5_000 }, () => text) })).toBeLessThan(0);
  });

  it('turns negative once the budget is spent, and stops counting there', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    expect(weighJson(many, 10)).toBeLessThan(0);
    expect(weighJson(many, 10)).toBeGreaterThan(-5);
    expect(weighJson(Array.from({ length: 99 }, () => 0), 100)).toBe(0);
    expect(weighJson(Array.from({ length: 100 }, () => 0), 100)).toBe(-1);
  });
});
