/**
 * What a retroactive timeout changes (issue 15): the stored aggregates of a project and
 * start-time range, and the sessions the gaps kept at ingest (migration 008) say it merges or
 * splits; every other session stays as stored.
 */
import type { SessionFilters } from '../../../shared/api';
import type { SessionRules } from '../../../shared/session';
import type { SqlDriver } from '../sql';
import type { TimeoutChanges } from '../storage';
import type { Aggregates } from './aggregates';
import { readDeviceSessions } from './deviceSessions';

/**
 * Below how many sessions with a neighbour close enough to merge the changed sessions are found
 * from their indexes, one table row each; from there on, walking every session of the range in
 * the index that holds them all is quicker.
 */
const FEW_CHANGED = 20_000;

/**
 * A session changes when a neighbour is close enough to merge with it, when it has an idle gap
 * long enough to split it, or when it outlasts the longest session. Each term names the
 * condition of its partial index, so SQLite can read each from its own.
 */
const CHANGING = `((merge_gap_ms IS NOT NULL AND merge_gap_ms <= :timeoutMs)
  OR (longest_idle_ms > 0 AND longest_idle_ms > :timeoutMs) OR (first_activity_at IS NOT NULL AND length_ms >= :maxSessionMs))`;

/** What re-splitting the sessions of `filters`' project and start-time range under `rules` changes. */
export async function timeoutChanges(
  db: SqlDriver,
  aggregates: Aggregates,
  { project, from, to }: Pick<SessionFilters, 'project' | 'from' | 'to'>,
  rules: SessionRules,
): Promise<TimeoutChanges> {
  const range = { from: from ?? -Number.MAX_SAFE_INTEGER, to: to ?? Number.MAX_SAFE_INTEGER, ...(project === undefined ? {} : { project }) };
  const byProject = project === undefined ? '' : ' AND project = :project';
  const [merging] = await db.rows<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM sessions WHERE merge_gap_ms IS NOT NULL AND merge_gap_ms <= :timeoutMs
     LIMIT :few) AS merging`,
    { ...rules, few: FEW_CHANGED },
  );
  // Few are found from the indexes on their gaps (the other conditions spelled +column, so no
  // other index is chosen); many, by walking every session of the range in sessions_by_device_time.
  const changed =
    merging.n < FEW_CHANGED
      ? readDeviceSessions(
          db,
          'sessions',
          `${CHANGING} AND +first_activity_at IS NOT NULL AND +started_at >= :from AND +started_at < :to${byProject}`,
          { ...range, ...rules },
        )
      : readDeviceSessions(
          db,
          `sessions${db.dialect.indexedBy('sessions_by_device_time')}`,
          `first_activity_at IS NOT NULL AND started_at >= :from AND started_at < :to${byProject} AND ${CHANGING}`,
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
  return { stored, frustrated: frustrated.n, changed: await changed };
}
