/**
 * The stage: rrweb-player for one window at a time, its controls and the side panel, all
 * following one playhead; keyboard shortcuts, and a deep link's moment applied once the
 * recording reaches it.
 */
import type { eventWithTime } from '@rrweb/types';
import { el } from '../dom';
import { formatClock } from '../format';
import { momentLink } from './deepLink';
import { createControls, type Controls } from './playerControls';
import { mountPlayer, replaysCanvas, type ReplayPlayer } from './replayPlayer';
import { bindShortcuts, type Shortcut } from './shortcuts';
import { nextSignalSeek, type SignalEntry } from './signalEntries';
import { createSidePanel, type SidePanel } from './sidePanel';
import type { ReplayWindow } from './windowStream';
import { describeWindow, nextActivity, previousActivity, type WindowTimeline } from './windowTimeline';

/** ←/→ move the playhead this much. */
const STEP_MS = 5_000;
/** While events stream in, markers and panels are recomputed at most this often. */
const REFRESH_MS = 300;
const MIN_FRAME_HEIGHT_PX = 300;
const BOTTOM_MARGIN_PX = 20;
/** Cards have a 1-px border (style.css). */
const CARD_BORDER_PX = 1;

interface PlaySettings {
  speed: number;
  skipInactive: boolean;
}

interface FrameSize {
  width: number;
  height: number;
}

/** The stage of the replay page. */
export interface ReplayStage {
  /** The player card (frame and controls). */
  element: HTMLElement;
  side: SidePanel;
  /** The window playing, if any. */
  active(): ReplayWindow | null;
  /** Plays `w` instead; a pick `byUser` drops the deep link's moment, which named another tab. */
  show(w: ReplayWindow, byUser: boolean): void;
  /** `events` were appended to the active window. */
  addEvents(events: readonly eventWithTime[]): void;
  /** Rebuilds the frame at the playhead from the (since rewritten) events. */
  redraw(): void;
  /** The stream has ended: a deep link past the end goes to the end, and playback stops there. */
  endStream(): void;
  /** Replaces the frame's content by a message (while no window plays). */
  showMessage(message: HTMLElement): void;
  /** Sizes the frame to the viewport: once the stage is in the page, before anything loads. */
  fit(): void;
}

/** Builds the stage for session `sessionId`; `momentMs` is where a deep link asks to start. */
export function createReplayStage(sessionId: string, momentMs: number | null): ReplayStage {
  const frame = el('div', { id: 'player', class: 'stage-frame' }, el('p', { class: 'muted stage-note' }, 'Loading the recording…'));
  const settings: PlaySettings = { speed: 1, skipInactive: true };
  let active: ReplayWindow | null = null;
  let player: ReplayPlayer | null = null;
  let timeline: WindowTimeline | null = null;
  let pendingSeek = momentMs;
  let streamDone = false;
  /** Playback caught up with the events that have arrived; it resumes when more come. */
  let starved = false;
  let refreshTimer = 0;

  const seek = (ms: number): void => player?.seek(ms);
  const controls = wireControls(sessionId, settings, () => ({ player, active }));
  const side = createSidePanel(seek);
  const element = el('section', { class: 'stage card' }, frame, controls.element);
  const { frameSize, fit } = fitFrame(frame, controls, side, (width, height) => player?.resize(width, height));
  bindShortcuts((shortcut) => {
    if (player) runShortcut(shortcut, player, timeline?.activityStarts ?? [], timeline?.signals ?? []);
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

  const mount = (w: ReplayWindow, autoPlay: boolean): ReplayPlayer => {
    player?.destroy();
    starved = false;
    active = w;
    frame.replaceChildren();
    return mountPlayer(frame, w.events, {
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
  };

  const show = (w: ReplayWindow, byUser: boolean): void => {
    if (byUser) pendingSeek = null;
    player = mount(w, pendingSeek === null);
    refresh();
  };

  const addEvents = (events: readonly eventWithTime[]): void => {
    if (!player || !active) return;
    if (!player.replaysCanvas && replaysCanvas(events)) {
      // The frame's sandbox is fixed when it is built: it is built again, for canvas, where the
      // playhead is (the window's events already hold these).
      const at = player.currentMs();
      const play = player.isPlaying() || starved;
      player = mount(active, false);
      player.seek(at, play);
      refresh();
      return;
    }
    for (const event of events) player.addEvent(event);
    if (!refreshTimer) refreshTimer = window.setTimeout(refresh, REFRESH_MS);
    if (starved) {
      starved = false;
      player.seek(player.currentMs(), true);
    }
  };

  return {
    element,
    side,
    active: () => active,
    show,
    addEvents,
    redraw: () => player?.seek(player.currentMs()),
    endStream: () => {
      streamDone = true;
      refresh();
    },
    showMessage: (message) => frame.replaceChildren(message),
    fit,
  };
}

/** The controls, acting on whichever player and window `current` returns; `settings` outlive a change of window. */
function wireControls(
  sessionId: string,
  settings: PlaySettings,
  current: () => { player: ReplayPlayer | null; active: ReplayWindow | null },
): Controls {
  const controls = createControls({
    toggle: () => current().player?.toggle(),
    seek: (ms) => current().player?.seek(ms),
    speed: (speed) => {
      settings.speed = speed;
      current().player?.setSpeed(speed);
      controls.setSpeed(speed);
    },
    skipInactive: (on) => {
      settings.skipInactive = on;
      current().player?.setSkipInactive(on);
    },
    copyLink: async () => {
      const { player, active } = current();
      const link = momentLink(location.origin, sessionId, player?.currentMs() ?? 0, active && active.index > 0 ? active.id : null);
      await navigator.clipboard.writeText(link);
      return link;
    },
  });
  controls.setSpeed(settings.speed);
  controls.setSkipInactive(settings.skipInactive);
  controls.setPlaying(false);
  return controls;
}

/** Frame sizes: `fit` sets them (so nothing moves when the replay appears), and again on every window resize. */
function fitFrame(
  frame: HTMLElement,
  controls: Controls,
  side: SidePanel,
  onResize: (width: number, height: number) => void,
): { frameSize: () => FrameSize; fit: () => void } {
  const frameSize = (): FrameSize => {
    const top = frame.getBoundingClientRect().top + scrollY;
    const free = innerHeight - top - controls.element.offsetHeight - BOTTOM_MARGIN_PX;
    return { width: frame.clientWidth, height: Math.max(MIN_FRAME_HEIGHT_PX, Math.floor(free)) };
  };
  const fit = (): FrameSize => {
    const size = frameSize();
    frame.style.height = `${size.height}px`;
    // The side panel scrolls within the stage's height rather than stretching the page.
    side.element.style.height = `${size.height + controls.element.offsetHeight + 2 * CARD_BORDER_PX}px`;
    return size;
  };
  let resizeFrame = 0;
  addEventListener('resize', () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      const { width, height } = fit();
      onResize(width, height);
    });
  });
  return { frameSize, fit };
}

/** Does what a shortcut asks of the player; `activityStarts` are the stops of shift+←/→, `signals` those of N. */
function runShortcut(shortcut: Shortcut, player: ReplayPlayer, activityStarts: readonly number[], signals: readonly SignalEntry[]): void {
  const now = player.currentMs();
  switch (shortcut) {
    case 'toggle':
      return player.toggle();
    case 'back':
      return player.seek(now - STEP_MS);
    case 'forward':
      return player.seek(now + STEP_MS);
    case 'previousActivity':
      return player.seek(previousActivity(activityStarts, now));
    case 'nextActivity': {
      const next = nextActivity(activityStarts, now);
      return next === null ? undefined : player.seek(next);
    }
    case 'nextSignal': {
      const next = nextSignalSeek(signals, now);
      return next === null ? undefined : player.seek(Math.max(0, next));
    }
  }
}
