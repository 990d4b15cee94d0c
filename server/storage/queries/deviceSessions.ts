/** Sessions as re-sessionising reads them: device by device, in order of first activity. */
import type { RecordedSession, Span } from '../../../shared/session';
import type { Params, SqlDriver } from '../sql';

const NO_GAPS: readonly Span[] = Object.freeze([]);
const NO_SIGNALS: readonly number[] = Object.freeze([]);

/** A session as read here (dialect.deviceSessionsJson): first and last activity, clock offset, idle gaps, signal times (when any). */
export type DeviceSession = [number, number, number, Span[] | null, number[]?];

/** The sessions of `from` (a table, with an index hint) that `where` keeps, grouped by project and device. */
export async function readDeviceSessions(db: SqlDriver, from: string, where: string, params: Params): Promise<Iterable<RecordedSession>> {
  // One JSON array per device: a million sessions cross into JavaScript as a few thousand
  // strings, which is several times faster than a million rows.
  const devices = await db.rows<{ project: string; deviceId: string; list: string }>(
    `SELECT project, device_id AS "deviceId", ${db.dialect.deviceSessionsJson()} AS list
     FROM ${from} WHERE ${where} GROUP BY project, device_id`,
    params,
  );
  return parsed(devices);
}

/** The key re-sessionising groups a project's device by: sessions merge only within one. */
export function deviceKey(project: string, deviceId: string): string {
  return `${project}\n${deviceId}`;
}

/** Parses each device's JSON array only when re-sessionising reaches it. */
function* parsed(devices: { project: string; deviceId: string; list: string }[]): Iterable<RecordedSession> {
  for (const { project, deviceId, list } of devices) {
    const key = deviceKey(project, deviceId);
    for (const session of JSON.parse(list) as DeviceSession[]) yield recordedSession(key, session);
  }
}

/** A session as read here, as re-sessionising takes it. */
export function recordedSession(key: string, [firstActivityAt, lastActivityAt, clockOffsetMs, gaps, signalTimes]: DeviceSession): RecordedSession {
  return { key, firstActivityAt, lastActivityAt, idleGaps: gaps ?? NO_GAPS, clockOffsetMs, signalTimes: signalTimes ?? NO_SIGNALS };
}
