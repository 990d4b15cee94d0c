/** The sessions a retroactive timeout merges whole, re-split from a few numbers each. */
import type { SessionRules } from '../../shared/session';
import { CHANGED_FLAGS, CHANGED_STRIDE, unpackLength, type ChangedDevice } from '../storage/storage';
import type { LengthChanges } from './lengthChanges';

/** What merging did to the changed sessions of the devices it can re-split alone. */
export interface MergedRuns {
  /** How many of their stored sessions, and of the sessions the timeout makes of them, hold a frustration signal. */
  frustratedBefore: number;
  frustratedAfter: number;
  /**
   * Devices whose re-split needs their sessions' idle gaps (one is longer than the timeout, or a
   * session with some ends a longest session's length after its merged session started): re-split
   * those in full (resessionize).
   */
  inFull: ChangedDevice[];
}

/**
 * Re-splits as resessionize does, from each session's first and last activity: a session with
 * every idle gap at most the timeout is one stretch of activity, so it merges whole with its
 * neighbours or not at all. Its signals then fall in the merged session it joins. Their stored
 * sessions go out of `changes`, and what the timeout makes of them (starting in the range) in.
 */
export function mergeRuns(
  devices: readonly ChangedDevice[],
  rules: SessionRules,
  range: { from?: number; to?: number },
  changes: LengthChanges,
): MergedRuns {
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  const result: MergedRuns = { frustratedBefore: 0, frustratedAfter: 0, inFull: [] };
  const runs: Run[] = [];
  for (const device of devices) {
    const { sessions } = device;
    runs.length = 0;
    let run: Run | null = null;
    let whole = true;
    for (let i = 0; i < sessions.length && whole; i += CHANGED_STRIDE) {
      const first = sessions[i];
      const { lengthMs, flags } = unpackLength(sessions[i + 1]);
      const last = first + lengthMs;
      // isExpired at the session's first activity.
      if (!run || first - run.last > rules.timeoutMs || first - run.first >= rules.maxSessionMs) {
        run = { startedAt: first + sessions[i + 2], first, last: first, frustrated: false };
        runs.push(run);
      }
      run.last = Math.max(run.last, last);
      if (flags & CHANGED_FLAGS.frustrated) run.frustrated = true;
      // An idle gap longer than the timeout splits the session; after a longest session's
      // length, the end of any idle gap could.
      whole = !(flags & CHANGED_FLAGS.splits) && (!(flags & CHANGED_FLAGS.idle) || last - run.first < rules.maxSessionMs);
    }
    if (!whole) {
      result.inFull.push(device);
      continue;
    }
    for (let i = 0; i < sessions.length; i += CHANGED_STRIDE) {
      const { lengthMs, flags } = unpackLength(sessions[i + 1]);
      changes.add(-1, sessions[i] + sessions[i + 2], lengthMs);
      if (flags & CHANGED_FLAGS.frustrated) result.frustratedBefore++;
    }
    for (const { startedAt, first, last, frustrated } of runs) {
      if (startedAt < from || startedAt >= to) continue;
      changes.add(1, startedAt, last - first);
      if (frustrated) result.frustratedAfter++;
    }
  }
  return result;
}

/** A merged session being built: its start on the server's clock, its first and last activity on the client's. */
interface Run {
  startedAt: number;
  first: number;
  last: number;
  frustrated: boolean;
}
