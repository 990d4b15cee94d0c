/** Lengths under a retroactive timeout (Amplitude's custom session definitions), two ways. */
import { arraySource, type LengthSource } from '../../shared/lengthSource';
import { resessionize, type RecordedSession, type Resessionized, type SessionRules } from '../../shared/session';
import type { TimeoutChanges } from '../storage/storage';
import { LengthChanges } from './lengthChanges';
import { mergeRuns } from './mergeRuns';
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

/**
 * The same figures as resplitAll, re-splitting only the sessions the timeout changes: those it
 * merges whole from their numbers (mergeRuns), the other devices' from their sessions in full.
 */
export function resplitChanged(changes: TimeoutChanges, rules: SessionRules, range: Range): Retimed {
  const lengths = new LengthChanges();
  const merged = mergeRuns(changes.changed, rules, range, lengths);
  const inFull = merged.inFull.flatMap((device) => device.recorded());
  const counted = { frustrated: 0 };
  for (const { startedAt, lengthMs } of onServerClock(resessionize(inFull, rules), range, counted)) lengths.add(1, startedAt, lengthMs);
  let frustratedBefore = merged.frustratedBefore;
  for (const session of inFull) {
    lengths.add(-1, session.firstActivityAt + session.clockOffsetMs, session.lastActivityAt - session.firstActivityAt);
    if (session.signalTimes.length > 0) frustratedBefore++;
  }
  return {
    source: retimedSource(changes.stored, lengths),
    frustrated: changes.frustrated - frustratedBefore + merged.frustratedAfter + counted.frustrated,
  };
}
