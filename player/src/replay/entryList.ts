/** A list of timed entries (console lines, requests) that shows those the playhead has passed. */
import { el } from '../dom';
import { formatClock, formatCount } from '../format';
import { countUpTo } from './windowTimeline';

/** A list of entries that follows the playhead. */
export interface EntryList<T> {
  element: HTMLElement;
  setEntries(entries: readonly T[]): void;
  /** Shows the entries at or before `ms`. */
  update(ms: number): void;
}

/** How a list shows its entries; clicking one calls `onSeek` with its time. */
export interface EntryListOptions<T> {
  testId: string;
  /** The row's content after its time stamp. */
  row(entry: T): { cells: (Node | string)[]; className?: string; title?: string };
  /** What to say when the recording holds no entry at all: capture was off, most likely. */
  none: (Node | string)[];
  onSeek(ms: number): void;
}

/** A list is "at the bottom" within this many pixels, and then follows new entries. */
const STICKY_PX = 24;

/** Builds an empty list; `setEntries` fills it. */
export function createEntryList<T extends { at: number }>(options: EntryListOptions<T>): EntryList<T> {
  const list = el('ol', { class: 'entries', 'data-testid': options.testId });
  const later = el('p', { class: 'entries-later muted' });
  const element = el('div', { class: 'entry-list' }, list, later);
  let entries: readonly T[] = [];
  let rows: (HTMLLIElement | undefined)[] = [];
  let shown = -1;
  let lastMs = 0;

  const rowAt = (index: number): HTMLLIElement => {
    const cached = rows[index];
    if (cached) return cached;
    const entry = entries[index];
    const { cells, className, title } = options.row(entry);
    const row = el(
      'li',
      { class: `entry ${className ?? ''}`.trim(), title: title ?? '' },
      el('button', { type: 'button', class: 'entry-time', title: 'Jump here' }, formatClock(entry.at)),
      ...cells,
    );
    row.querySelector('button')?.addEventListener('click', () => options.onSeek(entry.at));
    rows[index] = row;
    return row;
  };

  const update = (ms: number): void => {
    lastMs = ms;
    const count = countUpTo(entries, ms);
    if (count === shown) return;
    const stick = element.scrollHeight - element.scrollTop - element.clientHeight < STICKY_PX;
    shown = count;
    if (entries.length === 0) {
      list.replaceChildren();
      later.replaceChildren(...options.none);
      return;
    }
    const visible = Array.from({ length: count }, (_, i) => rowAt(i));
    visible.forEach((row, i) => row.classList.toggle('current', i === count - 1));
    list.replaceChildren(...visible);
    const remaining = entries.length - count;
    later.textContent =
      count === 0
        ? `Nothing yet at ${formatClock(ms)}; ${formatCount(remaining)} later in the recording.`
        : remaining > 0
          ? `${formatCount(remaining)} more later in the recording.`
          : '';
    if (stick) element.scrollTop = element.scrollHeight;
  };

  return {
    element,
    setEntries(next) {
      entries = next;
      rows = [];
      shown = -1;
      update(lastMs);
    },
    update,
  };
}
