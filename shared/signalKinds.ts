/**
 * The names of the frustration signals, apart from their rules (signals.ts): the recorder's
 * entry reads events with them, and must not pull in the rules, which it loads as a chunk.
 */

export const SIGNAL_KINDS = ['rage', 'dead', 'error'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Signal counts of one session. */
export type SignalCounts = Record<SignalKind, number>;

/** Whether `value` names a signal kind. */
export function isSignalKind(value: unknown): value is SignalKind {
  return SIGNAL_KINDS.includes(value as SignalKind);
}
