/** How much a value's JSON costs to write, counted cheaply: how the sliced writer (slicedJson.ts) cuts a tree into steps. */

/** Subtrees of at most this many values are stringified whole (strings too: the native writer copies them fast). */
export const SUBTREE_MAX_WEIGHT = 1_500;

/**
 * What is left of `budget` once `value`'s values are counted, or a negative number as soon
 * as the budget is spent (the count stops there): negative means too large to stringify at once.
 */
export function weighJson(value: unknown, budget = SUBTREE_MAX_WEIGHT): number {
  return typeof value === 'object' && value !== null ? weighEntries(value, budget - 1) : budget - 1;
}

/**
 * The count of a container's entries. Written for speed, as it visits every value of a full
 * snapshot once: arrays by index (for-in makes a string of each index, five times slower) and
 * a leaf counted in place rather than by a call.
 */
function weighEntries(value: object, budget: number): number {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length && budget >= 0; index++) {
      const item: unknown = value[index];
      budget = typeof item === 'object' && item !== null ? weighEntries(item, budget - 1) : budget - 1;
    }
    return budget;
  }
  for (const key in value) {
    if (budget < 0) break;
    const item: unknown = (value as Record<string, unknown>)[key];
    budget = typeof item === 'object' && item !== null ? weighEntries(item, budget - 1) : budget - 1;
  }
  return budget;
}
