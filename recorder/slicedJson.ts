/**
 * JSON.stringify of a large value (a full snapshot of a page with tens of thousands of nodes)
 * written a slice at a time, so that no single task of ours takes longer than a slice: the
 * tree is walked by hand only where it is large, and every small subtree is handed whole to
 * the native JSON.stringify, an array's small items a run at a time. Each value is weighed
 * once on the way (weighJson.ts), except the few containers found too large, which are opened;
 * the DOM nodes of a recording's first full snapshot are sized by their ids instead.
 * The text is the one JSON.stringify gives. A chunk of its own, loaded by the first page whose
 * full snapshot is large (see batcher.ts).
 */
import { numberedInPreorder, SUBTREE_MAX_WEIGHT, weighJson } from './weighJson';

type Container = Record<string, unknown> | unknown[];

/** What a container holds: its entries, and how far the writer got. */
interface Frame {
  /** The object's keys; null for an array. */
  keys: string[] | null;
  value: Container;
  next: number;
  close: string;
  /** Whether an entry was written (the next one needs a comma). */
  wrote: boolean;
}

/** Whether `item` can be written in parts: a container without toJSON (JSON.stringify writes what toJSON returns). */
function canOpen(item: unknown): item is Container {
  return typeof item === 'object' && item !== null && typeof (item as { toJSON?: unknown }).toJSON !== 'function';
}

/** Writes `value`'s JSON while `hasTime()` says so (at least one step), resumable. */
export class SlicedJson {
  private readonly parts: string[] = [];
  private readonly stack: Frame[] = [];
  /** Whether the value is a full snapshot event whose nodes are numberedInPreorder. */
  private readonly numbered: boolean;

  constructor(value: unknown) {
    this.numbered = numberedInPreorder((value as { data?: { node?: unknown } } | null)?.data?.node);
    // The value itself is the one item of a root without brackets: written as any other item.
    this.stack.push({ keys: null, value: [value], next: 0, close: '', wrote: false });
  }

  /**
   * Writes on while `hasTime()`; true once an earlier call wrote the end of the text. So the
   * text is taken in a task of its own: joining megabytes takes tens of milliseconds (20–40 on a
   * page of 60 000 nodes), which the slice's task would otherwise have on top of its own.
   */
  write(hasTime: () => boolean): boolean {
    if (this.stack.length === 0) return true;
    do {
      const frame = this.stack[this.stack.length - 1]!;
      if (frame.next === (frame.keys ?? frame.value).length) {
        this.parts.push(frame.close);
        this.stack.pop();
      } else if (frame.keys) this.entry(frame, frame.keys);
      else this.items(frame, frame.value as unknown[]);
    } while (this.stack.length > 0 && hasTime());
    return false;
  }

  /** The whole text, once `write` returned true. */
  text(): string {
    return this.parts.join('');
  }

  /** Writes `json` as the frame's next entry, after its `key` when in an object. */
  private push(frame: Frame, json: string, key?: string): void {
    this.parts.push(`${frame.wrote ? ',' : ''}${key === undefined ? '' : `${JSON.stringify(key)}:`}${json}`);
    frame.wrote = true;
  }

  /** Writes the object's next entry, or opens it when it is large. */
  private entry(frame: Frame, keys: string[]): void {
    const key = keys[frame.next++]!;
    const item = (frame.value as Record<string, unknown>)[key];
    if (canOpen(item) && weighJson(item, SUBTREE_MAX_WEIGHT, this.numbered) < 0) return this.open(frame, item, key);
    const json = JSON.stringify(item) as string | undefined;
    // As JSON.stringify does: a key whose value has no JSON is left out.
    if (json !== undefined) this.push(frame, json, key);
  }

  /**
   * Writes the array's next items that weigh a subtree's weight together in one native call (a
   * list's rows), or opens the next item when it alone is too large. Each item is weighed once,
   * but the one that overflows a run, which starts the next.
   */
  private items(frame: Frame, array: unknown[]): void {
    const start = frame.next;
    let budget = SUBTREE_MAX_WEIGHT;
    while (frame.next < array.length && (budget = weighJson(array[frame.next], budget, this.numbered)) >= 0) frame.next++;
    if (frame.next > start) return this.push(frame, JSON.stringify(array.slice(start, frame.next)).slice(1, -1));
    const item = array[frame.next++];
    // Too large alone: opened, or written whole when only its toJSON knows its JSON (an array's item without one is null).
    if (canOpen(item)) this.open(frame, item);
    else this.push(frame, JSON.stringify(item) ?? 'null');
  }

  private open(frame: Frame, value: Container, key?: string): void {
    const array = Array.isArray(value);
    this.push(frame, array ? '[' : '{', key);
    this.stack.push({ keys: array ? null : Object.keys(value), value, next: 0, close: array ? ']' : '}', wrote: false });
  }
}
