/**
 * Frustration signals as the replay shows them: the recorder's `$signal` events (decoded by
 * shared/eventFacts.ts), placed at their click on the replayer's clock. Pure, like windowTimeline.ts.
 */
import type { EventFact } from '../../../shared/eventFacts';
import type { SignalKind } from '../../../shared/signals';

/** A signal on the replay clock. */
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

/** A signal recorded at offset `fallbackAt`, placed at its click when it knows its time. */
export function readSignal(fact: Extract<EventFact, { kind: 'signal' }>, startTs: number, fallbackAt: number): SignalEntry {
  return {
    at: fact.at === null ? fallbackAt : Math.max(0, fact.at - startTs),
    kind: fact.signal,
    selector: fact.selector,
    label: fact.label,
    message: fact.message,
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
