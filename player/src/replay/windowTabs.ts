/** The tab strip of a replay recorded in several browser windows: one button per window, shown from the second. */
import { el } from '../dom';
import { formatUrl } from '../format';
import type { ReplayWindow } from './windowStream';

/** The strip; `add` a window as its events arrive, `select` the one playing. */
export interface WindowTabs {
  element: HTMLElement;
  add(w: ReplayWindow): void;
  select(w: ReplayWindow): void;
}

/** Builds the strip; clicking a window's tab calls `onPick` with it. */
export function createWindowTabs(onPick: (w: ReplayWindow) => void): WindowTabs {
  const element = el('div', { class: 'segmented window-tabs', role: 'tablist', 'aria-label': 'Browser tabs', hidden: '' });
  const tabs = new Map<ReplayWindow, HTMLButtonElement>();
  return {
    element,
    add(w) {
      const tab = el('button', { type: 'button', role: 'tab', 'data-window-id': w.id, 'data-testid': 'window-tab' }, `Tab ${w.index + 1}`);
      if (w.firstUrl !== null) {
        tab.append(' · ', el('span', { class: 'tab-url' }, formatUrl(w.firstUrl).replace(/^[^/]*/, '') || '/'));
        tab.title = w.firstUrl;
      }
      tab.addEventListener('click', () => onPick(w));
      tabs.set(w, tab);
      element.append(tab);
      element.hidden = tabs.size < 2;
    },
    select(w) {
      for (const [other, tab] of tabs) tab.setAttribute('aria-selected', String(other === w));
    },
  };
}
