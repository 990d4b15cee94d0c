/**
 * The controls under the replay: a timeline marking inactivity, page changes, errors and custom
 * events; play/pause, the clock, speed, skip inactivity and "copy link at this moment".
 */
import { el } from '../dom';
import { formatClock } from '../format';
import { SPEEDS } from './replayPlayer';
import type { WindowTimeline } from './windowTimeline';

/** What the controls ask of the player. */
export interface ControlActions {
  toggle(): void;
  seek(ms: number): void;
  speed(speed: number): void;
  skipInactive(on: boolean): void;
  /** Copies a link to the current moment; resolves to the link. */
  copyLink(): Promise<string>;
}

/** The controls, as the stage drives them. */
export interface Controls {
  element: HTMLElement;
  setTimeline(timeline: WindowTimeline): void;
  setTime(ms: number): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  setSkipInactive(on: boolean): void;
  /** Shows a short message next to the controls for a moment. */
  say(text: string): void;
}

const NOTE_MS = 1_800;

const percent = (ms: number, total: number): string => `${total > 0 ? Math.min(100, (ms / total) * 100) : 0}%`;

/** Builds the controls; they do nothing by themselves but call `actions`. */
export function createControls(actions: ControlActions): Controls {
  const marks = el('div', { class: 'timeline-marks' });
  const inactive = el('div', { class: 'timeline-inactive' });
  const played = el('div', { class: 'timeline-played' });
  const knob = el('div', { class: 'timeline-knob' });
  const timeline = el(
    'div',
    {
      class: 'timeline',
      role: 'slider',
      tabindex: '0',
      'aria-label': 'Playhead',
      'aria-valuemin': '0',
      'data-testid': 'timeline',
    },
    el('div', { class: 'timeline-track' }, played, inactive),
    marks,
    knob,
  );

  const playButton = el('button', {
    type: 'button',
    class: 'control play',
    'data-testid': 'play',
    'aria-label': 'Play',
    title: 'Play/pause (Space)',
  });
  const clock = el('span', { class: 'clock', 'data-testid': 'clock' }, '0:00 / 0:00');
  const speedButtons = SPEEDS.map((speed) => {
    const button = el('button', { type: 'button', 'data-speed': String(speed), 'aria-pressed': 'false' }, `${speed}×`);
    button.addEventListener('click', () => actions.speed(speed));
    return button;
  });
  const skip = el('input', { type: 'checkbox', 'data-testid': 'skip-inactive' });
  const note = el('span', { class: 'control-note', role: 'status' });
  const copy = el('button', { type: 'button', class: 'button', 'data-testid': 'copy-link' }, 'Copy link at 0:00');

  let durationMs = 0;
  let currentMs = 0;
  let dragging = false;
  let noteTimer = 0;
  const say = (text: string): void => {
    note.textContent = text;
    window.clearTimeout(noteTimer);
    noteTimer = window.setTimeout(() => (note.textContent = ''), NOTE_MS);
  };

  const place = (ms: number): void => {
    played.style.width = percent(ms, durationMs);
    knob.style.left = percent(ms, durationMs);
  };
  const msAt = (clientX: number): number => {
    const box = timeline.getBoundingClientRect();
    return Math.max(0, Math.min(1, (clientX - box.left) / box.width)) * durationMs;
  };
  // Seeking rebuilds the replayed DOM, so a drag only moves the knob and seeks once on release.
  timeline.addEventListener('pointerdown', (event) => {
    dragging = true;
    timeline.setPointerCapture(event.pointerId);
    place(msAt(event.clientX));
  });
  timeline.addEventListener('pointermove', (event) => {
    if (dragging) place(msAt(event.clientX));
  });
  timeline.addEventListener('pointerup', (event) => {
    if (!dragging) return;
    dragging = false;
    actions.seek(msAt(event.clientX));
  });
  timeline.addEventListener('pointercancel', () => {
    dragging = false;
    place(currentMs);
  });

  playButton.addEventListener('click', () => actions.toggle());
  skip.addEventListener('change', () => actions.skipInactive(skip.checked));
  copy.addEventListener('click', () => {
    actions.copyLink().then(
      () => say('Link copied'),
      () => say('Could not copy: your browser refused the clipboard'),
    );
  });

  const element = el(
    'div',
    { class: 'controls' },
    timeline,
    el(
      'div',
      { class: 'control-row' },
      playButton,
      clock,
      el('div', { class: 'segmented', role: 'group', 'aria-label': 'Speed' }, ...speedButtons),
      el('label', { class: 'toggle' }, skip, 'Skip inactivity'),
      note,
      copy,
    ),
  );

  return {
    element,
    setTimeline(t) {
      durationMs = t.durationMs;
      timeline.setAttribute('aria-valuemax', String(Math.round(durationMs)));
      inactive.replaceChildren(
        ...t.inactive.map(([from, to]) => {
          const title = `Inactive for ${formatClock(to - from)}`;
          const stretch = el('div', { class: 'inactive', 'data-testid': 'inactive', title });
          // Set through CSSOM, which a CSP without 'unsafe-inline' styles still allows.
          stretch.style.left = percent(from, durationMs);
          stretch.style.width = percent(to - from, durationMs);
          return stretch;
        }),
      );
      marks.replaceChildren(
        ...t.marks.map((mark) => {
          const title = `${formatClock(mark.at)} ${mark.label}`;
          const tick = el('div', { class: `mark mark-${mark.kind}`, 'data-kind': mark.kind, title });
          if (mark.signal) tick.dataset.signal = mark.signal;
          tick.style.left = percent(mark.at, durationMs);
          return tick;
        }),
      );
      this.setTime(currentMs);
    },
    setTime(ms) {
      currentMs = ms;
      if (!dragging) place(ms);
      const text = `${formatClock(ms)} / ${formatClock(durationMs)}`;
      if (clock.textContent !== text) {
        clock.textContent = text;
        copy.textContent = `Copy link at ${formatClock(ms)}`;
        timeline.setAttribute('aria-valuetext', text);
      }
      clock.dataset.ms = String(Math.round(ms));
      timeline.setAttribute('aria-valuenow', String(Math.round(ms)));
    },
    setPlaying(playing) {
      playButton.classList.toggle('playing', playing);
      playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
      playButton.dataset.state = playing ? 'playing' : 'paused';
    },
    setSpeed(speed) {
      for (const button of speedButtons) button.setAttribute('aria-pressed', String(button.dataset.speed === String(speed)));
    },
    setSkipInactive(on) {
      skip.checked = on;
    },
    say,
  };
}
