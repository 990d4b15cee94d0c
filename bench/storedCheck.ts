/**
 * After an ingest run: does the SQLite file (opened read-only once the server has stopped) hold
 * exactly the batches the server acknowledged, each session's sequence numbers without a gap?
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../server/storage/sqliteStorage';

export interface StoredCheck {
  acked: number;
  stored: number;
  /** Sessions whose stored sequence numbers are not exactly the acknowledged ones. */
  mismatched: number;
  /** Sessions whose stored sequence numbers are not 0, 1, 2… without a hole. */
  gaps: number;
}

/** `acked`: per session id, the sequence numbers the server answered 200 for. */
export function checkStored(dataDir: string, acked: ReadonlyMap<string, readonly number[]>): StoredCheck {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const seqsOf = db.prepare('SELECT seq FROM chunks WHERE session_id = ? ORDER BY seq').pluck();
  let ackedCount = 0;
  let mismatched = 0;
  let gaps = 0;
  for (const [sessionId, seqs] of acked) {
    const found = seqsOf.all(sessionId) as number[];
    const expected = [...seqs].sort((a, b) => a - b);
    ackedCount += expected.length;
    if (!found.every((seq, i) => seq === i)) gaps++;
    if (found.length !== expected.length || found.some((seq, i) => seq !== expected[i])) mismatched++;
  }
  // Every chunk in the file, so one stored under a session no client knows of counts too.
  const stored = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
  db.close();
  return { acked: ackedCount, stored, mismatched, gaps };
}
