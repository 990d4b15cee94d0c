/**
 * What a retroactive timeout changes (issue 15): the stored aggregates of a project and
 * start-time range, and the sessions the gaps kept at ingest (migration 008) say it merges or
 * splits; every other session stays as stored.
 */
import type { SessionFilters } from '../../../shared/api';
import type { RecordedSession, SessionRules } from '../../../shared/session';
import type { SqlDriver } from '../sql';
import { CHANGED_FLAG_VALUES, CHANGED_FLAGS, CHANGED_STRIDE, unpackLength, type TimeoutChanges } from '../storage';
import type { Aggregates } from './aggregates';
import { deviceKey, recordedSession, type DeviceSession } from './deviceSessions';

/**
 * Below how many sessions with a neighbour close enough to merge the changed sessions are found
 * from their indexes, one table row each; from there on, walking every session of the range in
 * the index that holds them all is quicker.
 */
const FEW_CHANGED = 20_000;

/** ChangedDevice's flags (longest_idle_ms is 0 exactly when idle_gaps holds none). */
const FLAGS = `CASE WHEN signal_times IS NULL THEN 0 ELSE ${CHANGED_FLAGS.frustrated} END
  + CASE WHEN longest_idle_ms > 0 THEN ${CHANGED_FLAGS.idle} ELSE 0 END
  + CASE WHEN longest_idle_ms > :timeoutMs THEN ${CHANGED_FLAGS.splits} ELSE 0 END`;

/**
 * A session changes when a neighbour is close enough to merge with it, when it has an idle gap
 * long enough to split it, or when it outlasts the longest session. Each term names the
 * condition of its partial index, so SQLite can read each from its own.
 */
const CHANGING = `((merge_gap_ms IS NOT NULL AND merge_gap_ms <= :timeoutMs)
  OR (longest_idle_ms > 0 AND longest_idle_ms > :timeoutMs) OR (first_activity_at IS NOT NULL AND length_ms >= :maxSessionMs))`;

/**
 * CHANGING and the start-time range in the stored columns that merge_gap_ms, length_ms and
 * started_at are computed from: SQLite reads a generated column from the table row, so only
 * this spelling lets the walk read sessions_by_device_time alone (migration 010).
 */
const CHANGING_STORED = `first_activity_at IS NOT NULL AND first_activity_at + clock_offset_ms >= :from
  AND first_activity_at + clock_offset_ms < :to AND (gap_before_ms <= :timeoutMs OR gap_after_ms <= :timeoutMs
  OR (longest_idle_ms > 0 AND longest_idle_ms > :timeoutMs) OR last_activity_at - first_activity_at >= :maxSessionMs)`;

/**
 * What re-splitting the sessions of `filters`' project and start-time range under `rules` changes.
 * `few`: below how many sessions with a close neighbour they are found from their indexes (tests
 * set it to take either way).
 */
export async function timeoutChanges(
  db: SqlDriver,
  aggregates: Aggregates,
  { project, from, to }: Pick<SessionFilters, 'project' | 'from' | 'to'>,
  rules: SessionRules,
  few = FEW_CHANGED,
): Promise<TimeoutChanges> {
  const range = { from: from ?? -Number.MAX_SAFE_INTEGER, to: to ?? Number.MAX_SAFE_INTEGER, ...(project === undefined ? {} : { project }) };
  const byProject = project === undefined ? '' : ' AND project = :project';
  const [merging] = await db.rows<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM sessions WHERE merge_gap_ms IS NOT NULL AND merge_gap_ms <= :timeoutMs
     LIMIT :few) AS merging`,
    { ...rules, few },
  );
  // Few are found from the indexes on their gaps (the other conditions spelled +column, so no
  // other index is chosen); many, by walking every session of the range in sessions_by_device_time.
  const walk = merging.n >= few;
  const [table, where] = walk
    ? [`sessions${db.dialect.indexedBy('sessions_by_device_time')}`, `${CHANGING_STORED}${byProject} AND ${db.dialect.serialPlan}`]
    : ['sessions', `${CHANGING} AND +first_activity_at IS NOT NULL AND +started_at >= :from AND +started_at < :to${byProject}`];
  // Idle gaps cross only for the sessions that have any, a few in a hundred. The aggregates take
  // each device's sessions in the order the subquery sorts them (neither database flattens a
  // sorted subquery into an aggregate), which walking the index gives without a sort: ordering
  // inside each aggregate sorted every device's sessions again, a fifth of the query's time.
  const changed = db.rows<{ project: string; deviceId: string; list: string; detailed: string | null }>(
    `SELECT project, device_id AS "deviceId", string_agg(concat_ws(',', first_activity_at,
       (last_activity_at - first_activity_at) * ${CHANGED_FLAG_VALUES} + ${FLAGS}, clock_offset_ms), ',') AS list, ${db.dialect.deviceSessionsJson('longest_idle_ms > 0', false)} AS detailed
     FROM (SELECT project, device_id, first_activity_at, last_activity_at, clock_offset_ms, longest_idle_ms, idle_gaps, signal_times
       FROM ${table} WHERE ${where} ORDER BY project, device_id, first_activity_at, id) AS changed
     GROUP BY project, device_id`,
    { ...range, ...rules },
  );
  const [stored, [frustrated]] = await Promise.all([
    aggregates.stored(project, from, to),
    db.rows<{ n: number }>(
      `SELECT count(*) AS n FROM sessions WHERE signal_times IS NOT NULL AND first_activity_at IS NOT NULL
       AND started_at >= :from AND started_at < :to${byProject}`,
      range,
    ),
  ]);
  return {
    stored,
    frustrated: frustrated.n,
    changed: (await changed).map(({ project, deviceId, list, detailed }) => {
      const sessions = JSON.parse(`[${list}]`) as number[];
      return { sessions, recorded: () => recordedSessions(deviceKey(project, deviceId), sessions, detailed) };
    }),
  };
}

/**
 * A device's changed sessions in full: those with idle gaps from `detailed`, the others from
 * their numbers. A session without idle gaps is one stretch of activity, so any time in it
 * stands for its signals' times: re-sessionising only asks which stretch holds one.
 */
function recordedSessions(key: string, sessions: readonly number[], detailed: string | null): RecordedSession[] {
  const details = detailed === null ? [] : (JSON.parse(detailed) as DeviceSession[]);
  const result: RecordedSession[] = [];
  for (let i = 0, d = 0; i < sessions.length; i += CHANGED_STRIDE) {
    const [first, packed, offset] = sessions.slice(i, i + CHANGED_STRIDE);
    const { lengthMs, flags } = unpackLength(packed);
    const signals = flags & CHANGED_FLAGS.frustrated ? [first] : undefined;
    const detail: DeviceSession = flags & CHANGED_FLAGS.idle ? details[d++] : [first, first + lengthMs, offset, null, signals];
    result.push(recordedSession(key, detail));
  }
  return result;
}
