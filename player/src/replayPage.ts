import type { eventWithTime } from '@rrweb/types';
import rrwebPlayer from 'rrweb-player';
import 'rrweb-player/dist/style.css';
import type { EventChunk, SessionSummary } from '../../shared/api';
import { fetchEvents, fetchSession } from './api';
import { el, errorBox } from './dom';
import { formatCount, formatDateTime, formatDuration, formatUrl, formatUser } from './format';

/** rrweb needs a Meta and a FullSnapshot event at the least to draw anything. */
const MIN_REPLAY_EVENTS = 2;
const SPEEDS = [1, 2, 4, 8, 16];
/** Height of rrweb-player's controller bar, drawn under the replay frame. */
const CONTROLLER_HEIGHT_PX = 80;
const MIN_FRAME_HEIGHT_PX = 320;
const BOTTOM_MARGIN_PX = 24;
/** Height over width of the replay frame when the viewport leaves room for it (16:10). */
const FRAME_ASPECT = 0.625;

/** rrweb-player's typings lose `$destroy` (they extend Svelte's component class, not installed here). */
type Player = InstanceType<typeof rrwebPlayer> & { $destroy(): void };

interface ReplayWindow {
  id: string;
  label: string;
  events: eventWithTime[];
}

/** Renders `/sessions/:id`: the session's metadata and its replay, one window (tab) at a time. */
export function renderReplayPage(root: HTMLElement, id: string): void {
  document.title = 'Replay · Session replay';
  const loading = el('p', { class: 'muted' }, 'Loading…');
  const header = el('header', { class: 'page-header' }, el('h1', {}, 'Session'), loading);
  const body = el('div');
  const back = el('a', { href: '/', class: 'back' }, '← All sessions');
  root.replaceChildren(el('main', { class: 'page' }, back, header, body));

  Promise.all([fetchSession(id), fetchEvents(id)]).then(
    ([session, chunks]) => {
      document.title = `${formatDuration(session.lengthMs)} session · Session replay`;
      const title = el('h1', {}, 'Session ', el('code', { class: 'muted' }, session.id));
      header.replaceChildren(title, metadata(session));
      showReplay(body, groupByWindow(chunks), startOffsetMs());
    },
    (error: unknown) => {
      header.replaceChildren(el('h1', {}, 'Session'));
      body.replaceChildren(errorBox('Could not load this session', error));
    },
  );
}

function metadata(session: SessionSummary): HTMLElement {
  const item = (label: string, value: string, attrs: Record<string, string> = {}): HTMLElement =>
    el('div', { class: 'meta-item' }, el('dt', {}, label), el('dd', attrs, value));
  return el(
    'dl',
    { class: 'meta' },
    item('Length', formatDuration(session.lengthMs), { 'data-testid': 'length' }),
    item('Active', formatDuration(session.activeMs)),
    item('Started', formatDateTime(session.startedAt), {
      'data-testid': 'started-at',
      title: session.startedAt,
    }),
    item('User', formatUser(session.userId, session.deviceId), { title: `device ${session.deviceId}` }),
    item('Pages', formatCount(session.pages)),
    item('Events', formatCount(session.eventCount)),
    item('Errors', formatCount(session.errorCount)),
    item('Status', session.status),
    item('Entry URL', formatUrl(session.entryUrl), { class: 'url', title: session.entryUrl ?? '' }),
  );
}

/** `?t=SECONDS` deep links into the replay. */
function startOffsetMs(): number | null {
  const t = new URLSearchParams(location.search).get('t');
  const seconds = t === null || t.trim() === '' ? NaN : Number(t);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : null;
}

function groupByWindow(chunks: EventChunk[]): ReplayWindow[] {
  const byId = new Map<string, eventWithTime[]>();
  for (const chunk of chunks) {
    const events = byId.get(chunk.windowId) ?? [];
    // The API types events loosely; they are rrweb's own events as the recorder emitted them.
    events.push(...(chunk.events as eventWithTime[]));
    byId.set(chunk.windowId, events);
  }
  return [...byId].map(([id, events], index) => ({
    id,
    label: `Tab ${index + 1} · ${formatCount(events.length)} events`,
    events,
  }));
}

function showReplay(body: HTMLElement, windows: ReplayWindow[], offsetMs: number | null): void {
  const target = el('div', { id: 'player' });
  body.replaceChildren(target);
  if (windows.length === 0) {
    target.replaceChildren(notReplayable(0));
    return;
  }
  const busiest = windows.reduce((best, w) => (w.events.length > best.events.length ? w : best));
  let player: Player | null = null;
  // The selector goes in first: the player's height depends on where its target sits.
  if (windows.length > 1) {
    body.prepend(
      windowSelect(windows, busiest, (chosen) => {
        player?.$destroy();
        player = mountPlayer(target, chosen, null);
      }),
    );
  }
  player = mountPlayer(target, busiest, offsetMs);
}

function windowSelect(
  windows: ReplayWindow[],
  selected: ReplayWindow,
  onChange: (chosen: ReplayWindow) => void,
): HTMLElement {
  const select = el('select', { 'data-testid': 'window-select', id: 'window-select' });
  select.append(...windows.map((w) => el('option', { value: w.id }, w.label)));
  select.value = selected.id;
  select.addEventListener('change', () => onChange(windows.find((w) => w.id === select.value) ?? selected));
  return el('label', { class: 'window-select', for: 'window-select' }, 'Window ', select);
}

function mountPlayer(target: HTMLElement, tab: ReplayWindow, offsetMs: number | null): Player | null {
  target.replaceChildren();
  if (tab.events.length < MIN_REPLAY_EVENTS) {
    target.append(notReplayable(tab.events.length));
    return null;
  }
  const width = target.clientWidth;
  // Fit the frame and its controller in the viewport, so play and the timeline need no scrolling.
  const spaceBelow = innerHeight - target.getBoundingClientRect().top - CONTROLLER_HEIGHT_PX - BOTTOM_MARGIN_PX;
  const height = Math.max(MIN_FRAME_HEIGHT_PX, Math.min(Math.round(width * FRAME_ASPECT), spaceBelow));
  const player = new rrwebPlayer({
    target,
    props: {
      events: tab.events,
      width,
      height,
      autoPlay: true,
      skipInactive: true,
      showController: true,
      speedOption: SPEEDS,
    },
  }) as Player;
  if (offsetMs !== null) player.goto(offsetMs, true);
  return player;
}

function notReplayable(eventCount: number): HTMLElement {
  return el(
    'div',
    { class: 'notice', 'data-testid': 'no-replay' },
    el('strong', {}, 'Nothing to replay. '),
    `This recording has ${eventCount} ${eventCount === 1 ? 'event' : 'events'}; ` +
      `a replay needs at least ${MIN_REPLAY_EVENTS} (a page snapshot and its metadata).`,
  );
}
