/** Lengths under a retroactive timeout (Amplitude's custom session definitions), two ways. */
import { arraySource, type LengthSource } from '../../shared/lengthSource';
import { resessionize, type RecordedSession, type Resessionized, type SessionRules } from '../../shared/session';
import type { TimeoutChanges } from '../storage/storage';
import { retimedSource } from './retimedSource';

/** A start-time range on the server's clock, either end open. */
interface Range {
  from?: number;
  to?: number;
}

/** Lengths of the re-split sessions, and how many of them hold a frustration signal. */
export interface Retimed {
  source: LengthSource;
  frustrated: number;
}

/**
 * Re-sessionised sessions placed on the server's clock (each keeps the offset of the stored
 * session it starts in), those starting outside [from, to) left out; `counted.frustrated`
 * grows by those of them that hold a frustration signal.
 */
function* onServerClock(sessions: Iterable<Resessionized>, range: Range, counted: { frustrated: number }) {
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  for (const { startedAt, clockOffsetMs, lengthMs, frustrated } of sessions) {
    const serverStart = startedAt + clockOffsetMs;
    if (serverStart < from || serverStart >= to) continue;
    if (frustrated) counted.frustrated++;
    yield { startedAt: serverStart, lengthMs };
  }
}

/** Every stored session of the range re-split under `rules`. */
export function resplitAll(stored: Iterable<RecordedSession>, rules: SessionRules, range: Range): Retimed {
  const counted = { frustrated: 0 };
  // arraySource reads the sessions through at once, so the count is complete after it.
  const source = arraySource(onServerClock(resessionize(stored, rules), range, counted));
  return { source, frustrated: counted.frustrated };
}

/** The same figures as resplitAll, re-splitting only the sessions the timeout changes. */
export function resplitChanged(changes: TimeoutChanges, rules: SessionRules, range: Range): Retimed {
  const counted = { frustrated: 0 };
  const changed = [...changes.changed];
  const added = [...onServerClock(resessionize(changed, rules), range, counted)];
  const removed = changed.map((s) => ({ startedAt: s.firstActivityAt + s.clockOffsetMs, lengthMs: s.lastActivityAt - s.firstActivityAt }));
  const frustratedBefore = changed.filter((s) => s.signalTimes.length > 0).length;
  return {
    source: retimedSource(changes.stored, removed, added),
    frustrated: changes.frustrated - frustratedBefore + counted.frustrated,
  };
}
