/**
 * How much a value's JSON costs to write, counted cheaply: the test the batcher makes before it
 * loads the sliced writer (slicedJson.ts, a chunk), which weighs the value's parts the same way.
 */

/** Subtrees of at most this many values (a string counts one more per 64 characters) are stringified whole. */
const SUBTREE_MAX_WEIGHT = 1_500;

/**
 * What is left of `budget` once `value`'s values are counted, or a negative number as soon
 * as the budget is spent (the count stops there): negative means too large to stringify at once.
 */
export function weighJson(value: unknown, budget = SUBTREE_MAX_WEIGHT): number {
  budget--;
  for (const key in value as object) {
    if (budget < 0) break;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) budget = weighJson(item, budget);
    else budget -= typeof item === 'string' ? 1 + (item.length >> 6) : 1;
  }
  return budget;
}
