import { describe, expect, it } from 'vitest';
import { SlicedJson } from '../../recorder/slicedJson';
import { NODE_WEIGHT, numberedInPreorder, SUBTREE_MAX_WEIGHT, weighJson } from '../../recorder/weighJson';

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

interface TestNode {
  id: number;
  type: number;
  tagName?: string;
  textContent?: string;
  attributes?: Record<string, string>;
  childNodes?: TestNode[];
}

/** A document of `rows` list items (each an element holding a text node), numbered in preorder from `first` as rrweb does. */
function snapshotTree(rows: number, first = 1): TestNode {
  let id = first;
  const list: TestNode = { id: 0, type: 2, tagName: 'ul', attributes: { class: 'rows' }, childNodes: [] };
  const root: TestNode = { id: id++, type: 0, childNodes: [{ id: id++, type: 2, tagName: 'body', attributes: {}, childNodes: [list] }] };
  list.id = id++;
  for (let row = 0; row < rows; row++) {
    const item: TestNode = { id: id++, type: 2, tagName: 'li', attributes: { 'data-row': String(row) }, childNodes: [] };
    item.childNodes!.push({ id: id++, type: 3, textContent: `row ${row}` });
    list.childNodes!.push(item);
  }
  return root;
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

  it('writes a first full snapshot, sized by its ids, as JSON.stringify does and in small steps', () => {
    const event = { type: 2, data: { node: snapshotTree(20_000), initialOffset: { left: 0, top: 3 } }, timestamp: 1 };
    const written = writeInSteps(event);
    expect(written.text).toBe(JSON.stringify(event));
    expect(written.steps).toBeGreaterThan(100);
    // A run holds at most a subtree's weight of nodes, each ~65 characters here.
    expect(written.longestStep).toBeLessThan((SUBTREE_MAX_WEIGHT / NODE_WEIGHT) * 80);
  });

  it('writes on while there is time, and says it is done at the call after the one that wrote the end', () => {
    const value = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i })) };
    const writer = new SlicedJson(value);
    // The text is joined in the next task: not on top of the slice that wrote its end.
    expect(writer.write(() => true)).toBe(false);
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

  it('sizes a node of a tree numbered in preorder by its ids, without visiting its children', () => {
    const tree = snapshotTree(10);
    const list = tree.childNodes![0]!.childNodes![0]!;
    // The list and its 10 items of 2 nodes each.
    expect(weighJson(list, 1_000, true)).toBe(1_000 - 1 - 21 * NODE_WEIGHT);
    expect(weighJson(list, 1_000)).not.toBe(1_000 - 1 - 21 * NODE_WEIGHT);
    expect(weighJson(snapshotTree(5_000), SUBTREE_MAX_WEIGHT, true)).toBeLessThan(0);
  });

  it('turns negative once the budget is spent, and stops counting there', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    expect(weighJson(many, 10)).toBeLessThan(0);
    expect(weighJson(many, 10)).toBeGreaterThan(-5);
    expect(weighJson(Array.from({ length: 99 }, () => 0), 100)).toBe(0);
    expect(weighJson(Array.from({ length: 100 }, () => 0), 100)).toBe(-1);
  });
});

describe('numberedInPreorder', () => {
  it('holds for a tree numbered one by one in preorder from its root, whatever the first id', () => {
    expect(numberedInPreorder(snapshotTree(50))).toBe(true);
    expect(numberedInPreorder(snapshotTree(50, 7_000))).toBe(true);
  });

  it('fails for a later snapshot: ids kept out of order, or gaps', () => {
    const reused = snapshotTree(50);
    const list = reused.childNodes![0]!.childNodes![0]!;
    // A node inserted since the first snapshot: a new id, larger than all the others.
    list.childNodes!.splice(3, 0, { id: 9_999, type: 2, tagName: 'li', attributes: {}, childNodes: [] });
    expect(numberedInPreorder(reused)).toBe(false);
    const gap = snapshotTree(50);
    gap.childNodes![0]!.childNodes![0]!.childNodes!.splice(10, 1);
    expect(numberedInPreorder(gap)).toBe(false);
  });

  it('fails for what is not a serialised node, or not numbered', () => {
    expect(numberedInPreorder(undefined)).toBe(false);
    expect(numberedInPreorder({ id: '1', childNodes: [] })).toBe(false);
  });
});
