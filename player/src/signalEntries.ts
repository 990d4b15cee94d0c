/**
 * Frustration signals as the replay shows them: read from the recorder's `$signal` events,
 * placed at their click on the replayer's clock. Pure, like windowTimeline.ts.
 */
import { isSignalKind, type SignalKind } from '../../shared/signals';

export interface SignalEntry {
  at: number;
  kind: SignalKind;
  selector: string;
  label: string;
  /** An error click's message, recorded only with console capture. */
  message: string | null;
}

/** Jumps to a signal land this long before it, so the replay shows what led to it. */
export const SIGNAL_LEAD_MS = 2_000;

const KIND_NAMES: Record<SignalKind, string> = { rage: 'Rage click', dead: 'Dead click', error: 'Error click' };

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A `$signal` payload at offset `fallbackAt`, placed at its click (`payload.at`) when it has one. */
export function readSignal(payload: unknown, startTs: number, fallbackAt: number): SignalEntry | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (!isSignalKind(p.kind)) return null;
  return {
    at: typeof p.at === 'number' && Number.isFinite(p.at) ? Math.max(0, p.at - startTs) : fallbackAt,
    kind: p.kind,
    selector: text(p.selector),
    label: text(p.label),
    message: typeof p.message === 'string' ? p.message : null,
  };
}

/** "Rage click on “Pay now”", or on its selector when it has no label. */
export function describeSignal(entry: SignalEntry): string {
  const target = entry.label ? `“${entry.label}”` : entry.selector || 'the page';
  return `${KIND_NAMES[entry.kind]} on ${target}${entry.message ? `: ${entry.message}` : ''}`;
}

/** Where the "next signal" key seeks from `ms`: SIGNAL_LEAD_MS before the next signal, or null. */
export function nextSignalSeek(signals: readonly SignalEntry[], ms: number): number | null {
  // A signal whose lead-in we are already in (after the last jump) is the current one, not the next.
  const next = signals.find((signal) => signal.at - SIGNAL_LEAD_MS > ms + 1);
  return next ? next.at - SIGNAL_LEAD_MS : null;
}
