/** `/sessions/:id`: the replay page, wiring the event stream, the stage and the header together. */
import type { eventWithTime } from '@rrweb/types';
import type { SessionSummary } from '../../../shared/api';
import { fetchSession, streamEvents } from '../api';
import { el, errorBox } from '../dom';
import { formatDateTime, formatDuration, formatUser } from '../format';
import type { AssetUrl } from './capturedAssets';
import { parseMoment } from './deepLink';
import { createReplayStage } from './replayStage';
import { describeUserAgent } from './userAgent';
import { createWindowTabs } from './windowTabs';
import { replayable, streamWindows, type ReplayWindow } from './windowStream';

/** Where a replay's summary and events come from. */
export interface ReplaySource {
  fetchSession(id: string): Promise<SessionSummary>;
  streamEvents: typeof streamEvents;
  /** Where the captured copy named `hash` is; default: this server's /api/assets/<hash>. */
  assetUrl?: AssetUrl;
}

/** What differs between the player's replay page and an exported file's. */
export interface ReplayPageOptions {
  /** Default: the server's read API. */
  source?: ReplaySource;
  /** Buttons for the header (share, download). */
  actions?: HTMLElement[];
  /** A file on its own (an export): no way back to a sessions list. */
  standalone?: boolean;
  /** Resolves true for a share link's viewer, who has no sessions list to go back to. */
  linkViewer?: Promise<boolean>;
}

/** Renders `/sessions/:id`: the replay with its controls, one window (tab) at a time, and the side panel. */
export function renderReplayPage(root: HTMLElement, id: string, options: ReplayPageOptions = {}): void {
  const source = options.source ?? { fetchSession, streamEvents };
  document.title = 'Replay · Session replay';
  const moment = parseMoment(location.search);
  const title = el('h1', {}, 'Session');
  const subtitle = el('p', { class: 'muted subtitle' }, 'Loading…');
  const notices = el('div', { class: 'notices' });
  const stage = createReplayStage(id, moment.ms);
  const show = (w: ReplayWindow, byUser: boolean): void => {
    tabs.select(w);
    stage.show(w, byUser);
  };
  const tabs = createWindowTabs((w) => {
    if (stage.active() !== w && replayable(w.events)) show(w, true);
  });

  const back = el('a', { href: '/', class: 'back', 'data-testid': 'back' }, '← Sessions');
  void options.linkViewer?.then((viewer) => {
    if (viewer) back.remove();
  });

  root.replaceChildren(
    el(
      'main',
      { class: 'page replay' },
      el(
        'header',
        { class: 'replay-header' },
        el('div', { class: 'replay-title' }, ...(options.standalone ? [] : [back]), title, subtitle),
        tabs.element,
        el('div', { class: 'replay-actions' }, ...(options.actions ?? [])),
      ),
      notices,
      el('div', { class: 'replay-grid' }, stage.element, stage.side.element),
    ),
  );
  stage.fit();

  const onEvents = (w: ReplayWindow, events: eventWithTime[]): void => {
    if (stage.active() === w) stage.addEvents(events);
    else if (!stage.active() && (moment.windowId === null || moment.windowId === w.id) && replayable(w.events)) show(w, false);
  };
  const finish = (windows: ReplayWindow[]): void => {
    stage.endStream();
    if (stage.active()) return;
    const first = windows.find((w) => replayable(w.events));
    if (first) show(first, false);
    else stage.showMessage(notReplayable(windows.reduce((n, w) => n + w.events.length, 0)));
  };
  let failed = false;
  const fail = (error: unknown): void => {
    // The summary and the stream fail together for an unknown id: one message is enough.
    if (failed) return;
    failed = true;
    if (stage.active()) notices.replaceChildren(errorBox('The rest of this recording could not be loaded', error));
    else stage.showMessage(errorBox('Could not load this session', error));
    if (title.textContent === 'Session') subtitle.textContent = '';
  };
  const showSummary = (session: SessionSummary): void => {
    document.title = `${formatDuration(session.lengthMs)} session · Session replay`;
    title.replaceChildren('Session ', el('span', { class: 'title-length' }, formatDuration(session.lengthMs)));
    const device = describeUserAgent(session.userAgent);
    subtitle.textContent = [formatDateTime(session.startedAt), formatUser(session.userId, session.deviceId), device]
      .filter(Boolean)
      .join(' · ');
    stage.side.setSession(session);
  };

  let unreadable = 0;
  const onUnreadable = (): void => {
    unreadable++;
    notices.replaceChildren(
      el(
        'div',
        { class: 'notice', 'data-testid': 'unreadable-chunks' },
        `${unreadable} stored ${unreadable === 1 ? 'part' : 'parts'} of this recording could not be read and ${unreadable === 1 ? 'is' : 'are'} skipped: the replay may jump there.`,
      ),
    );
  };

  source.fetchSession(id).then(showSummary, fail);
  streamWindows(id, { onWindow: tabs.add, onEvents, onAssets: stage.redraw, onUnreadable }, source.streamEvents, source.assetUrl).then(finish, fail);
}

function notReplayable(eventCount: number): HTMLElement {
  return el(
    'div',
    { class: 'notice', 'data-testid': 'no-replay' },
    el('strong', {}, 'Nothing to replay. '),
    `This recording has ${eventCount} ${eventCount === 1 ? 'event' : 'events'} but no page snapshot to draw them on.`,
  );
}
