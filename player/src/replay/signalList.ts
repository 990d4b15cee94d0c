/** The side panel's list of frustration signals: all of them, each with a jump to just before it. */
import { el } from '../dom';
import { formatClock } from '../format';
import { describeSignal, SIGNAL_LEAD_MS, type SignalEntry } from './signalEntries';
import { countUpTo } from './windowTimeline';

/** The list, as the side panel drives it. */
export interface SignalList {
  element: HTMLElement;
  setSignals(signals: readonly SignalEntry[]): void;
  /** Highlights the last signal at or before `ms`. */
  update(ms: number): void;
}

/** Builds the list; `onSeek` jumps the replay. */
export function createSignalList(onSeek: (ms: number) => void): SignalList {
  const list = el('ol', { class: 'entries', 'data-testid': 'signal-entries' });
  const none = el('p', { class: 'entries-later muted' }, 'No rage, dead or error clicks in this tab.');
  // The footer of shortcuts is full: the key that walks this list is told here.
  const hint = el('p', { class: 'entries-later muted' }, el('kbd', {}, 'N'), ' jumps to 2 s before the next one.');
  let signals: readonly SignalEntry[] = [];
  let rows: HTMLLIElement[] = [];
  let current = -2;
  return {
    element: el('div', { class: 'entry-list' }, list, none, hint),
    setSignals(next) {
      signals = next;
      rows = signals.map((signal) => {
        const jump = el('button', { type: 'button', class: 'entry-time', title: 'Jump to 2 s before' }, formatClock(signal.at));
        jump.addEventListener('click', () => onSeek(Math.max(0, signal.at - SIGNAL_LEAD_MS)));
        const kind = el('span', { class: `signal-kind signal-${signal.kind}` }, signal.kind);
        return el('li', { class: 'entry', title: signal.selector, 'data-kind': signal.kind }, jump, kind, el('span', { class: 'entry-text' }, describeSignal(signal)));
      });
      list.replaceChildren(...rows);
      none.hidden = signals.length > 0;
      hint.hidden = signals.length === 0;
      current = -2;
    },
    update(ms) {
      const index = countUpTo(signals, ms) - 1;
      if (index === current) return;
      current = index;
      rows.forEach((row, i) => row.classList.toggle('current', i === index));
    },
  };
}
