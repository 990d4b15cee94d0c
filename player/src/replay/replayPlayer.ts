/**
 * rrweb-player without its controller: the replay frame in a sandboxed iframe (scripts never
 * run), driven by our own controls. Inactivity is skipped here rather than by rrweb, so the
 * skipped stretches are exactly the ones the timeline marks (shared/session.ts rules).
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import rrwebPlayer from 'rrweb-player';
import 'rrweb-player/dist/style.css';
import type { Span } from '../../../shared/session';

/** Speeds the controls offer. */
export const SPEEDS = [1, 2, 4, 8, 16] as const;
/** A skip lands this long before the next activity, so the viewer sees it coming. */
const SKIP_LEAD_MS = 400;

/** rrweb-player's typings lose Svelte's component methods (svelte itself is not installed here). */
type RawPlayer = InstanceType<typeof rrwebPlayer> & {
  $destroy(): void;
  $set(props: Record<string, unknown>): void;
};

/** A mounted player, driven by the stage; times are offsets from the window's first event. */
export interface ReplayPlayer {
  /** Whether the frame was built for canvas replay (scripts allowed): rrweb drops canvas frames otherwise. */
  replaysCanvas: boolean;
  currentMs(): number;
  durationMs(): number;
  isPlaying(): boolean;
  toggle(): void;
  /** Jumps to `ms`, clamped to the recording; plays on if `play`, else keeps the current state. */
  seek(ms: number, play?: boolean): void;
  setSpeed(speed: number): void;
  setSkipInactive(on: boolean): void;
  /** Stretches to skip while playing and skipping is on. */
  setInactive(stretches: readonly Span[]): void;
  addEvent(event: eventWithTime): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

/** How to mount a player, and what it reports. */
export interface PlayerOptions {
  width: number;
  height: number;
  autoPlay: boolean;
  speed: number;
  skipInactive: boolean;
  onTime(ms: number): void;
  onPlaying(playing: boolean): void;
  /** A stretch of inactivity was skipped, from `from` to `to`. */
  onSkip(from: number, to: number): void;
  /** Playback reached the last event it has. */
  onFinish(): void;
}

interface SerializedNode {
  tagName?: string;
  attributes?: Record<string, unknown>;
  childNodes?: SerializedNode[];
}

/** A canvas whose content the snapshot holds: the page was recorded with canvas on, so frames may follow. */
const hasCanvasContent = (node: SerializedNode): boolean =>
  (node.tagName === 'canvas' && node.attributes?.rr_dataURL !== undefined) || (node.childNodes ?? []).some(hasCanvasContent);

/**
 * Whether `events` call for rrweb's canvas replay: canvas frames, or a full snapshot of a
 * canvas with content (its frames may come in a later chunk than the snapshot).
 */
export function replaysCanvas(events: readonly eventWithTime[]): boolean {
  return events.some(
    (event) =>
      (event.type === EventType.IncrementalSnapshot && event.data.source === IncrementalSource.CanvasMutation) ||
      (event.type === EventType.FullSnapshot && hasCanvasContent(event.data.node as SerializedNode)),
  );
}

/** Mounts a player for one window's events (at least a Meta and a FullSnapshot) into `target`. */
export function mountPlayer(target: HTMLElement, events: eventWithTime[], options: PlayerOptions): ReplayPlayer {
  const canvas = replaysCanvas(events);
  const raw = new rrwebPlayer({
    target,
    props: {
      // rrweb keeps and sorts the array it is given; the caller's array stays the caller's.
      events: [...events],
      width: options.width,
      height: options.height,
      autoPlay: options.autoPlay,
      speed: options.speed,
      speedOption: [...SPEEDS],
      skipInactive: false,
      showController: false,
      mouseTail: { strokeStyle: 'rgba(47, 91, 234, 0.45)', lineWidth: 2, duration: 500 },
      // Replaying a focus would move keyboard focus into the frame, taking the shortcuts with it.
      triggerFocus: false,
      // rrweb draws canvas frames only with scripts allowed in the frame (sandbox allow-scripts):
      // only for recordings that have them. The player's CSP (script-src 'self') still keeps
      // every recorded script and handler from running, and rrweb rebuilds <script> as <noscript>.
      UNSAFE_replayCanvas: canvas,
    },
  }) as RawPlayer;

  let current = 0;
  let playing = options.autoPlay;
  let skip = options.skipInactive;
  let inactive: readonly Span[] = [];

  const durationMs = (): number => raw.getMetaData().totalTime;
  const seek = (ms: number, play?: boolean): void => {
    const to = Math.max(0, Math.min(ms, durationMs()));
    current = to;
    raw.goto(to, play ?? playing);
    options.onTime(to);
  };

  raw.addEventListener('ui-update-current-time', (detail) => {
    current = (detail as { payload: number }).payload;
    options.onTime(current);
    if (!skip || !playing) return;
    const stretch = inactive.find(([from, to]) => current >= from && current < to - SKIP_LEAD_MS);
    if (stretch) {
      options.onSkip(current, stretch[1]);
      seek(stretch[1] - SKIP_LEAD_MS, true);
    }
  });
  raw.addEventListener('finish', () => options.onFinish());
  raw.addEventListener('ui-update-player-state', (detail) => {
    playing = (detail as { payload: string }).payload === 'playing';
    options.onPlaying(playing);
  });

  return {
    replaysCanvas: canvas,
    currentMs: () => current,
    durationMs,
    isPlaying: () => playing,
    toggle: () => {
      // At the end, play starts over rather than doing nothing.
      if (!playing && current >= durationMs()) seek(0, true);
      else raw.toggle();
    },
    seek,
    setSpeed: (speed) => raw.setSpeed(speed),
    setSkipInactive: (on) => {
      skip = on;
    },
    setInactive: (stretches) => {
      inactive = stretches;
    },
    addEvent: (event) => raw.addEvent(event),
    resize: (width, height) => {
      raw.$set({ width, height });
      raw.triggerResize();
    },
    destroy: () => raw.$destroy(),
  };
}
