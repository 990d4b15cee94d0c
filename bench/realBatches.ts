/**
 * Ingest bodies from a real recording: the events of the recorded hour (bench/longSession.ts),
 * read from its SQLite file, regrouped in their order into batches of 5-50 KB compressed (the
 * snippet's own 5-second batches of that page are smaller). A regrouped batch holds minutes of
 * that page; its timestamps are squeezed into 5 s, as a busier page's batch would span (the
 * server's per-batch work grows with the activity spans in it). Each is returned as the gzipped
 * `[...events]}` tail of a batch: bench/ingest.ts puts a header with a fresh session id and
 * sequence number in front.
 */
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { DEFAULT_LIMITS } from '../server/http/limits';
import { DATABASE_FILE } from '../server/storage/sqlite/sqliteDriver';
import { decodeRelativeIds } from '../shared/relativeIds';
import { longSession } from './longSession';

const MIN_BYTES = 5 * 1024;
const MAX_BYTES = 50 * 1024;

export interface RealBatches {
  /** Gzipped `<events JSON array>}` members, 5-50 KB each. */
  members: Buffer[];
  /** Events in each member, in the same order. */
  eventCounts: number[];
}

const BATCH_SPAN_MS = 5_000;

interface TimedEvent {
  timestamp: number;
}

function member(events: TimedEvent[]): Buffer {
  return gzipSync(`${JSON.stringify(events)}}`);
}

/** The events moved to start at `start` and squeezed into BATCH_SPAN_MS, in the same order. */
function squeeze(events: TimedEvent[], start: number): TimedEvent[] {
  const first = events[0].timestamp;
  const span = Math.max(1, events[events.length - 1].timestamp - first);
  return events.map((e) => ({ ...e, timestamp: start + Math.round(((e.timestamp - first) * BATCH_SPAN_MS) / span) }));
}

/** A stored chunk's events, its relative ids made absolute (shared/relativeIds.ts). */
function storedEvents(chunk: Buffer): TimedEvent[] {
  return (JSON.parse(decodeRelativeIds(gunzipSync(chunk).toString('utf8'), DEFAULT_LIMITS.maxInflatedBytes)) as { events: TimedEvent[] }).events;
}

export async function realBatches(): Promise<RealBatches> {
  const { dataDir, sessionId } = await longSession();
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const rows = db.prepare('SELECT data FROM chunks WHERE session_id = ? ORDER BY window_id, seq').pluck().all(sessionId) as Buffer[];
  db.close();
  const members: Buffer[] = [];
  const eventCounts: number[] = [];
  let pending: TimedEvent[] = [];
  const start = rows.length > 0 ? storedEvents(rows[0])[0].timestamp : 0;
  // Each batch takes the next 5 s after the previous one.
  const emit = (events: TimedEvent[]): void => {
    members.push(member(squeeze(events, start + members.length * BATCH_SPAN_MS)));
    eventCounts.push(events.length);
  };
  for (const row of rows) {
    const events = storedEvents(row);
    const grown = [...pending, ...events];
    // A batch never grows past the upper bound: what would overflow starts the next one.
    if (pending.length > 0 && member(squeeze(grown, start)).length > MAX_BYTES) {
      emit(pending);
      pending = events;
    } else {
      pending = grown;
    }
    if (member(squeeze(pending, start)).length >= MIN_BYTES) {
      emit(pending);
      pending = [];
    }
  }
  if (members.length === 0) throw new Error('the recorded hour holds less than one 5 KB batch');
  return { members, eventCounts };
}
