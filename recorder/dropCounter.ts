/**
 * Batches this browser dropped and has not reported yet, kept in localStorage so a drop just
 * before a reload is still reported. The next batch sent carries the count (`droppedBatches`).
 */

const KEY = 'sr:dropped';
let memory = 0;

/** The count not yet acknowledged by the server. */
export function unreportedDrops(): number {
  try {
    return Math.max(0, Number(localStorage.getItem(KEY)) || 0);
  } catch {
    return memory;
  }
}

/** Adds drops, or with a negative `delta` takes off those the server acknowledged. */
export function countDrops(delta: number): void {
  const next = Math.max(0, unreportedDrops() + delta);
  memory = next;
  try {
    if (next === 0) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, String(next));
  } catch {
    // Memory keeps the count for this page.
  }
}
