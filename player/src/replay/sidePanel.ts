/** The replay's side panel: session details, console, network and frustration signals, each following the playhead. */
import type { SessionSummary } from '../../../shared/api';
import { el } from '../dom';
import { formatClock, formatCount, formatDateTime, formatDuration, formatUrl, formatUser } from '../format';
import { createEntryList } from './entryList';
import { createSignalList } from './signalList';
import { describeUserAgent } from './userAgent';
import { countUpTo, type ConsoleEntry, type NetworkEntry, type PageEntry, type WindowTimeline } from './windowTimeline';

/** The side panel, as the stage and the page drive it. */
export interface SidePanel {
  element: HTMLElement;
  setSession(session: SessionSummary): void;
  setTimeline(timeline: WindowTimeline): void;
  update(ms: number): void;
}

type Tab = 'info' | 'console' | 'network' | 'signals';

const SLOW_REQUEST_MS = 1_000;

function statusClass(status: number | null): string {
  if (status === null) return 'muted';
  return status === 0 || status >= 400 ? 'bad' : '';
}

function consoleRow(entry: ConsoleEntry) {
  return {
    className: `level-${entry.level}`,
    title: entry.trace.length > 0 ? `${entry.text}\n${entry.trace.join('\n')}` : entry.text,
    cells: [el('span', { class: 'level' }, entry.level), el('span', { class: 'entry-text' }, entry.text)],
  };
}

function networkRow(entry: NetworkEntry) {
  const duration = entry.durationMs === null ? '—' : `${formatCount(Math.round(entry.durationMs))} ms`;
  return {
    className: statusClass(entry.status) === 'bad' ? 'failed' : '',
    title: `${entry.method} ${entry.url}`,
    cells: [
      el('span', { class: 'method' }, entry.method),
      el('span', { class: 'entry-text' }, formatUrl(entry.url)),
      el('span', { class: `status ${statusClass(entry.status)}` }, entry.status === null ? '—' : String(entry.status)),
      el('span', { class: `duration ${(entry.durationMs ?? 0) > SLOW_REQUEST_MS ? 'slow' : ''}` }, duration),
    ],
  };
}

const captureOff = (what: string, attribute: string): (Node | string)[] => [
  `No ${what} in this recording. `,
  `${what[0].toUpperCase()}${what.slice(1)} capture is off unless the snippet has `,
  el('code', {}, `${attribute}="true"`),
  '.',
];

/** Builds the panel; `onSeek` jumps the replay to an entry's time. */
export function createSidePanel(onSeek: (ms: number) => void): SidePanel {
  const consoleList = createEntryList<ConsoleEntry>({
    testId: 'console-entries',
    row: consoleRow,
    none: captureOff('console output', 'data-console'),
    onSeek,
  });
  const networkList = createEntryList<NetworkEntry>({
    testId: 'network-entries',
    row: networkRow,
    none: captureOff('network requests', 'data-network'),
    onSeek,
  });
  const signalList = createSignalList(onSeek);
  const details = el('dl', { class: 'details', 'data-testid': 'details' }, el('dt', {}, 'Loading…'));
  const pages = el('ol', { class: 'pages', 'data-testid': 'pages' });
  const info = el('div', { class: 'info' }, details, el('h3', {}, 'Pages in this tab'), pages);

  const tabs: Record<Tab, { button: HTMLButtonElement; body: HTMLElement; label: string }> = {
    info: { button: el('button'), body: info, label: 'Details' },
    console: { button: el('button'), body: consoleList.element, label: 'Console' },
    network: { button: el('button'), body: networkList.element, label: 'Network' },
    signals: { button: el('button'), body: signalList.element, label: 'Frustration' },
  };
  const select = (tab: Tab): void => {
    for (const [name, { button, body }] of Object.entries(tabs)) {
      button.setAttribute('aria-selected', String(name === tab));
      body.hidden = name !== tab;
    }
  };
  for (const [name, tab] of Object.entries(tabs) as [Tab, (typeof tabs)[Tab]][]) {
    Object.assign(tab.button, { type: 'button', textContent: tab.label });
    tab.button.setAttribute('role', 'tab');
    tab.button.dataset.tab = name;
    tab.button.addEventListener('click', () => select(name));
  }
  select('info');
  const setCount = (tab: Tab, count: number, errors = 0): void => {
    const { button, label } = tabs[tab];
    button.replaceChildren(label, ' ', el('span', { class: errors > 0 ? 'count count-bad' : 'count' }, formatCount(count)));
  };

  let pageEntries: readonly PageEntry[] = [];
  let pageRows: HTMLLIElement[] = [];
  let currentPage = -1;

  return {
    element: el(
      'aside',
      { class: 'side card', 'aria-label': 'Session details' },
      el('div', { class: 'tabs', role: 'tablist' }, tabs.info.button, tabs.console.button, tabs.network.button, tabs.signals.button),
      el('div', { class: 'side-body' }, info, consoleList.element, networkList.element, signalList.element),
      el(
        'p',
        { class: 'shortcuts', title: 'Shift + ←/→: previous/next burst of activity' },
        el('kbd', {}, 'Space'), ' play · ', el('kbd', {}, '←'), el('kbd', {}, '→'), ' 5 s · ',
        el('kbd', {}, '⇧←'), el('kbd', {}, '⇧→'), ' activity',
      ),
    ),
    setSession(session) {
      const item = (label: string, value: string, attrs: Record<string, string> = {}): HTMLElement[] => [
        el('dt', {}, label),
        el('dd', attrs, value),
      ];
      details.replaceChildren(
        ...item('Length', formatDuration(session.lengthMs), { 'data-testid': 'length' }),
        ...item('Active time', formatDuration(session.activeMs), { 'data-testid': 'active' }),
        ...item('Started', formatDateTime(session.startedAt), { 'data-testid': 'started-at', title: session.startedAt }),
        ...item('Ended', formatDateTime(session.endedAt), { title: session.endedAt }),
        ...item('Status', session.status),
        ...item('User', formatUser(session.userId, session.deviceId), { 'data-testid': 'user' }),
        ...item('Device', describeUserAgent(session.userAgent) ?? 'unknown', { title: session.userAgent ?? '' }),
        ...item('Device id', session.deviceId, { class: 'mono' }),
        ...item('Pages · tabs', `${formatCount(session.pages)} · ${formatCount(session.windows)}`),
        ...item('Events', formatCount(session.eventCount)),
        ...item('Errors', formatCount(session.errorCount), session.errorCount > 0 ? { class: 'bad' } : {}),
      );
    },
    setTimeline(timeline) {
      consoleList.setEntries(timeline.console);
      networkList.setEntries(timeline.network);
      setCount('console', timeline.console.length, timeline.console.filter((c) => c.level === 'error').length);
      setCount('network', timeline.network.length);
      signalList.setSignals(timeline.signals);
      setCount('signals', timeline.signals.length, timeline.signals.length);
      pageEntries = timeline.pages;
      pageRows = timeline.pages.map((entry) => {
        const jump = el('button', { type: 'button', class: 'entry-time', title: 'Jump here' }, formatClock(entry.at));
        jump.addEventListener('click', () => onSeek(entry.at));
        return el('li', { title: entry.url }, jump, el('span', { class: 'entry-text' }, formatUrl(entry.url)));
      });
      pages.replaceChildren(...pageRows);
      currentPage = -1;
    },
    update(ms) {
      consoleList.update(ms);
      networkList.update(ms);
      signalList.update(ms);
      // Before the first page view, the first page is the one on screen.
      const page = Math.max(0, countUpTo(pageEntries, ms) - 1);
      if (page === currentPage) return;
      currentPage = page;
      pageRows.forEach((row, i) => row.classList.toggle('current', i === page));
    },
  };
}
