/**
 * JSON.stringify of a large value (a full snapshot of a page with tens of thousands of nodes)
 * written a slice at a time, so that no single task of ours takes longer than a slice: the
 * tree is walked by hand only where it is large, and every small subtree is handed whole to
 * the native JSON.stringify. The text is the one JSON.stringify gives. A chunk of its own,
 * loaded by the first page whose full snapshot is large (see batcher.ts).
 */
import { weighJson } from './weighJson';

/** What a container holds: its entries, and how far the writer got. */
interface Frame {
  /** The object's keys; null for an array. */
  keys: string[] | null;
  value: Record<string, unknown> | unknown[];
  next: number;
  close: string;
  /** Whether an entry was written (the next one needs a comma). */
  wrote: boolean;
}

/** Writes `value`'s JSON while `hasTime()` says so (at least one step), resumable. */
export class SlicedJson {
  private readonly parts: string[] = [];
  private readonly stack: Frame[] = [];

  constructor(value: unknown) {
    // The value itself is the one item of a root without brackets: written as any other item.
    this.stack.push({ keys: null, value: [value], next: 0, close: '', wrote: false });
  }

  /** Writes on while `hasTime()`; true once the whole text is written. */
  write(hasTime: () => boolean): boolean {
    do {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) return true;
      this.step(frame);
    } while (hasTime());
    return this.stack.length === 0;
  }

  /** The whole text, once `write` returned true. */
  text(): string {
    return this.parts.join('');
  }

  private open(value: Record<string, unknown> | unknown[]): void {
    const array = Array.isArray(value);
    this.parts.push(array ? '[' : '{');
    this.stack.push({ keys: array ? null : Object.keys(value), value, next: 0, close: array ? ']' : '}', wrote: false });
  }

  /** Writes the frame's next entry, or closes the frame. */
  private step(frame: Frame): void {
    const { keys, value } = frame;
    if (frame.next === (keys ?? (value as unknown[])).length) {
      this.parts.push(frame.close);
      this.stack.pop();
      return;
    }
    const index = frame.next++;
    const key = keys?.[index];
    const item = key === undefined ? (value as unknown[])[index] : (value as Record<string, unknown>)[key];
    const large = this.isLarge(item);
    const json = large ? '' : keys ? JSON.stringify(item) : this.smallRun(value as unknown[], frame);
    // As JSON.stringify does: a key whose value has no JSON is left out (an array's is null).
    if (json === undefined) return;
    this.parts.push(`${frame.wrote ? ',' : ''}${key === undefined ? '' : `${JSON.stringify(key)}:`}${json}`);
    frame.wrote = true;
    if (large) this.open(item);
  }

  /** Whether `item` is a container to write in parts rather than whole (a value with toJSON never is). */
  private isLarge(item: unknown): item is Record<string, unknown> | unknown[] {
    return typeof item === 'object' && item !== null && typeof (item as { toJSON?: unknown }).toJSON !== 'function' && weighJson(item) < 0;
  }

  /**
   * The JSON of the array's small items from the one just taken on, as many as make one
   * subtree's weight: one native call for a run of siblings (a list's rows) rather than one each.
   */
  private smallRun(array: unknown[], frame: Frame): string {
    const start = frame.next - 1;
    let budget = weighJson(array[start]);
    while (frame.next < array.length && budget >= 0) {
      budget = weighJson(array[frame.next], budget);
      if (budget >= 0) frame.next++;
    }
    return JSON.stringify(array.slice(start, frame.next)).slice(1, -1);
  }
}
