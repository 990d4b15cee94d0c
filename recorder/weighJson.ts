/** How much a value's JSON costs to write, counted cheaply: how the sliced writer (slicedJson.ts) cuts a tree into steps. */

/** Subtrees of at most this many values are stringified whole (strings too: the native writer copies them fast). */
const SUBTREE_MAX_WEIGHT = 1_500;

/**
 * What is left of `budget` once `value`'s values are counted, or a negative number as soon
 * as the budget is spent (the count stops there): negative means too large to stringify at once.
 */
export function weighJson(value: unknown, budget = SUBTREE_MAX_WEIGHT): number {
  budget--;
  if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      if (budget < 0) break;
      budget = weighJson((value as Record<string, unknown>)[key], budget);
    }
  }
  return budget;
}
