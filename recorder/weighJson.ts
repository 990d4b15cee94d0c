/** How much a value's JSON costs to write, counted cheaply: how the sliced writer (slicedJson.ts) cuts a tree into steps. */

/** Subtrees of at most this many values are stringified whole (strings too: the native writer copies them fast). */
export const SUBTREE_MAX_WEIGHT = 1_500;

/** What a serialised DOM node of a tree numbered in preorder weighs, sized by its ids: its fields and a few attributes. */
export const NODE_WEIGHT = 12;

interface SerialisedNode {
  id: number;
  childNodes?: SerialisedNode[];
}

/**
 * Whether rrweb numbered the tree under `root` in preorder, one by one from the root's id, as it
 * does in a recording's first full snapshot (later ones keep the ids of nodes seen before). Each
 * subtree then holds exactly the ids from its root's to its last descendant's, which sizes it
 * without visiting it: one pass here instead of weighing every node of every opened subtree.
 * Recursive: rrweb's own serialiser went as deep.
 */
export function numberedInPreorder(root: unknown): boolean {
  let next = (root as SerialisedNode | undefined)?.id;
  const visit = (node: SerialisedNode): boolean => node.id === next!++ && (node.childNodes ?? []).every(visit);
  return typeof next === 'number' && visit(root as SerialisedNode);
}

/**
 * What is left of `budget` once `value`'s values are counted, or a negative number as soon
 * as the budget is spent (the count stops there): negative means too large to stringify at once.
 * `numbered`: the DOM nodes in `value` are of a tree numberedInPreorder, weighed by their ids.
 * Written for speed: arrays by index (for-in makes a string of each index).
 */
export function weighJson(value: unknown, budget = SUBTREE_MAX_WEIGHT, numbered = false): number {
  budget--;
  if (typeof value !== 'object' || value === null) return budget;
  const node = value as SerialisedNode;
  if (numbered && node.childNodes) {
    let last = node;
    while (last.childNodes?.length) last = last.childNodes[last.childNodes.length - 1]!;
    return budget - NODE_WEIGHT * (last.id - node.id + 1);
  }
  if (Array.isArray(value)) for (let index = 0; index < value.length && budget >= 0; index++) budget = weighJson(value[index], budget, numbered);
  else
    for (const key in value) {
      if (budget < 0) break;
      budget = weighJson((value as Record<string, unknown>)[key], budget, numbered);
    }
  return budget;
}
