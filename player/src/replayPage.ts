import { EventType, type eventWithTime } from '@rrweb/types';
import type { EventChunk, SessionSummary } from '../../shared/api';
import { fetchSession, streamEvents } from './api';
import { momentLink, parseMoment } from './deepLink';
import { el, errorBox } from './dom';
import { formatClock, formatDateTime, formatDuration, formatUrl, formatUser } from './format';
import { createControls } from './playerControls';
import { mountPlayer, type ReplayPlayer } from './replayPlayer';
import { bindShortcuts } from './shortcuts';
import { createSidePanel } from './sidePanel';
import { describeUserAgent } from './userAgent';
import { describeWindow, nextActivity, previousActivity, type WindowTimeline } from './windowTimeline';

/** ←/→ move the playhead this much. */
const STEP_MS = 5_000;
/** While events stream in, markers and panels are recomputed at most this often. */
const REFRESH_MS = 300;
const MIN_FRAME_HEIGHT_PX = 300;
const BOTTOM_MARGIN_PX = 20;
/** Cards have a 1-px border (style.css). */
const CARD_BORDER_PX = 1;

interface ReplayWindow {
  id: string;
  index: number;
  events: eventWithTime[];
  tab: HTMLButtonElement;
}

/** rrweb draws nothing before a Meta event and a full snapshot. */
function replayable(events: readonly eventWithTime[]): boolean {
  const meta = events.some((e) => e.type === EventType.Meta);
  return meta && events.some((e) => e.type === EventType.FullSnapshot);
}

/** Where a replay's summary and events come from. */
export interface ReplaySource {
  fetchSession(id: string): Promise<SessionSummary>;
  streamEvents(id: string, onChunk: (chunk: EventChunk) => void): Promise<void>;
}

export interface ReplayPageOptions {
  /** Default: the server's read API. */
  source?: ReplaySource;
  /** Buttons for the header (share, download). */
  actions?: HTMLElement[];
  /** A file on its own (an export): no way back to a sessions list. */
  standalone?: boolean;
}

/** Renders `/sessions/:id`: the replay with its controls, one window (tab) at a time, and the side panel. */
export function renderReplayPage(root: HTMLElement, id: string, options: ReplayPageOptions = {}): void {
  const source = options.source ?? { fetchSession, streamEvents };
  document.title = 'Replay · Session replay';
  const moment = parseMoment(location.search);
  const title = el('h1', {}, 'Session');
  const subtitle = el('p', { class: 'muted subtitle' }, 'Loading…');
  const windowTabs = el('div', { class: 'segmented window-tabs', role: 'tablist', 'aria-label': 'Browser tabs', hidden: '' });
  const notices = el('div', { class: 'notices' });
  const stage = el('div', { id: 'player', class: 'stage-frame' }, el('p', { class: 'muted stage-note' }, 'Loading the recording…'));
  const settings = { speed: 1, skipInactive: true };

  let windows: ReplayWindow[] = [];
  let active: ReplayWindow | null = null;
  let player: ReplayPlayer | null = null;
  let timeline: WindowTimeline | null = null;
  let pendingSeek = moment.ms;
  let streamDone = false;
  /** Playback caught up with the events that have arrived; it resumes when more come. */
  let starved = false;
  let refreshTimer = 0;

  const seek = (ms: number): void => player?.seek(ms);
  const controls = createControls({
    toggle: () => player?.toggle(),
    seek,
    speed: (speed) => {
      settings.speed = speed;
      player?.setSpeed(speed);
      controls.setSpeed(speed);
    },
    skipInactive: (on) => {
      settings.skipInactive = on;
      player?.setSkipInactive(on);
    },
    copyLink: async () => {
      const link = momentLink(location.origin, id, player?.currentMs() ?? 0, active && active.index > 0 ? active.id : null);
      await navigator.clipboard.writeText(link);
      return link;
    },
  });
  controls.setSpeed(settings.speed);
  controls.setSkipInactive(settings.skipInactive);
  controls.setPlaying(false);
  const side = createSidePanel(seek);

  root.replaceChildren(
    el(
      'main',
      { class: 'page replay' },
      el(
        'header',
        { class: 'replay-header' },
        el('div', { class: 'replay-title' }, ...(options.standalone ? [] : [el('a', { href: '/', class: 'back' }, '← Sessions')]), title, subtitle),
        windowTabs,
        el('div', { class: 'replay-actions' }, ...(options.actions ?? [])),
      ),
      notices,
      el('div', { class: 'replay-grid' }, el('section', { class: 'stage card' }, stage, controls.element), side.element),
    ),
  );

  // The frame gets its size before anything loads, so nothing moves when the replay appears.
  const frameSize = (): { width: number; height: number } => {
    const top = stage.getBoundingClientRect().top + scrollY;
    const free = innerHeight - top - controls.element.offsetHeight - BOTTOM_MARGIN_PX;
    return { width: stage.clientWidth, height: Math.max(MIN_FRAME_HEIGHT_PX, Math.floor(free)) };
  };
  const sizeStage = (): { width: number; height: number } => {
    const size = frameSize();
    stage.style.height = `${size.height}px`;
    // The side panel scrolls within the stage's height rather than stretching the page.
    side.element.style.height = `${size.height + controls.element.offsetHeight + 2 * CARD_BORDER_PX}px`;
    return size;
  };
  sizeStage();
  let resizeFrame = 0;
  addEventListener('resize', () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      const { width, height } = sizeStage();
      player?.resize(width, height);
    });
  });

  bindShortcuts((shortcut) => {
    if (!player) return;
    const now = player.currentMs();
    switch (shortcut) {
      case 'toggle':
        return player.toggle();
      case 'back':
        return player.seek(now - STEP_MS);
      case 'forward':
        return player.seek(now + STEP_MS);
      case 'previousActivity':
        return player.seek(previousActivity(timeline?.activityStarts ?? [], now));
      case 'nextActivity': {
        const next = nextActivity(timeline?.activityStarts ?? [], now);
        return next === null ? undefined : player.seek(next);
      }
    }
  });

  const refresh = (): void => {
    window.clearTimeout(refreshTimer);
    refreshTimer = 0;
    if (!active || !player) return;
    timeline = describeWindow(active.events);
    player.setInactive(timeline.inactive);
    controls.setTimeline(timeline);
    side.setTimeline(timeline);
    side.update(player.currentMs());
    // A deep link waits until the recording reaches its moment (or ends before it).
    if (pendingSeek !== null && (timeline.durationMs >= pendingSeek || streamDone)) {
      player.seek(pendingSeek, false);
      pendingSeek = null;
    }
  };
  const refreshSoon = (): void => {
    if (!refreshTimer) refreshTimer = window.setTimeout(refresh, REFRESH_MS);
  };

  const show = (w: ReplayWindow, autoPlay: boolean): void => {
    player?.destroy();
    starved = false;
    active = w;
    for (const other of windows) other.tab.setAttribute('aria-selected', String(other === w));
    stage.replaceChildren();
    player = mountPlayer(stage, w.events, {
      ...frameSize(),
      autoPlay,
      speed: settings.speed,
      skipInactive: settings.skipInactive,
      onTime: (ms) => {
        controls.setTime(ms);
        side.update(ms);
      },
      onPlaying: (playing) => controls.setPlaying(playing),
      onSkip: (from, to) => controls.say(`Skipped ${formatClock(to - from)} of inactivity`),
      onFinish: () => {
        if (streamDone) return;
        starved = true;
        controls.say('Loading more of the recording…');
      },
    });
    refresh();
  };

  const addWindow = (windowId: string): ReplayWindow => {
    const index = windows.length;
    const tab = el(
      'button',
      { type: 'button', role: 'tab', 'data-window-id': windowId, 'data-testid': 'window-tab' },
      `Tab ${index + 1}`,
    );
    const w: ReplayWindow = { id: windowId, index, events: [], tab };
    tab.addEventListener('click', () => {
      if (active === w || !replayable(w.events)) return;
      // A deep link's moment belongs to the tab it named, not to this one.
      pendingSeek = null;
      show(w, true);
    });
    windows = [...windows, w];
    windowTabs.append(tab);
    windowTabs.hidden = windows.length < 2;
    return w;
  };

  const onChunk = (chunk: EventChunk): void => {
    const w = windows.find((candidate) => candidate.id === chunk.windowId) ?? addWindow(chunk.windowId);
    // The API types events loosely; they are rrweb's own events as the recorder emitted them.
    const events = chunk.events as eventWithTime[];
    const firstPage = w.events.length === 0 ? events.find((e) => e.type === EventType.Meta) : undefined;
    if (firstPage) {
      const href = (firstPage.data as { href?: string }).href ?? '';
      w.tab.append(' · ', el('span', { class: 'tab-url' }, formatUrl(href).replace(/^[^/]*/, '') || '/'));
      w.tab.title = href;
    }
    w.events.push(...events);
    if (active === w && player) {
      for (const event of events) player.addEvent(event);
      refreshSoon();
      if (starved) {
        starved = false;
        player.seek(player.currentMs(), true);
      }
    } else if (!active && (moment.windowId === null || moment.windowId === w.id) && replayable(w.events)) {
      show(w, pendingSeek === null);
    }
  };

  const finish = (): void => {
    streamDone = true;
    if (!active) {
      const first = windows.find((w) => replayable(w.events));
      if (first) show(first, pendingSeek === null);
      else stage.replaceChildren(notReplayable(windows.reduce((n, w) => n + w.events.length, 0)));
    }
    refresh();
  };

  let failed = false;
  const fail = (error: unknown): void => {
    // The summary and the stream fail together for an unknown id: one message is enough.
    if (failed) return;
    failed = true;
    if (player) notices.replaceChildren(errorBox('The rest of this recording could not be loaded', error));
    else stage.replaceChildren(errorBox('Could not load this session', error));
    if (title.textContent === 'Session') subtitle.textContent = '';
  };

  source.fetchSession(id).then(showSummary, fail);
  source.streamEvents(id, onChunk).then(finish, fail);

  function showSummary(session: SessionSummary): void {
    document.title = `${formatDuration(session.lengthMs)} session · Session replay`;
    title.replaceChildren('Session ', el('span', { class: 'title-length' }, formatDuration(session.lengthMs)));
    const device = describeUserAgent(session.userAgent);
    subtitle.textContent = [formatDateTime(session.startedAt), formatUser(session.userId, session.deviceId), device]
      .filter(Boolean)
      .join(' · ');
    side.setSession(session);
  }
}

function notReplayable(eventCount: number): HTMLElement {
  return el(
    'div',
    { class: 'notice', 'data-testid': 'no-replay' },
    el('strong', {}, 'Nothing to replay. '),
    `This recording has ${eventCount} ${eventCount === 1 ? 'event' : 'events'} but no page snapshot to draw them on.`,
  );
}
