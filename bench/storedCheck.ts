/**
 * After an ingest run: does the store hold exactly the batches the server acknowledged, each
 * session's sequence numbers without a gap? Here for the SQLite file (opened read-only once the
 * server has stopped); bench/storedCheckPostgres.ts reads a PostgreSQL database the same way.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../server/storage/sqlite/sqliteDriver';

export interface StoredCheck {
  acked: number;
  stored: number;
  /** Sessions whose stored sequence numbers are not exactly the acknowledged ones. */
  mismatched: number;
  /** Sessions whose stored sequence numbers are not 0, 1, 2… without a hole. */
  gaps: number;
}

/**
 * `acked`: per session id, the sequence numbers the server answered 200 for; `storedOf`: the
 * ones the store holds for a session, in order; `stored`: every chunk in the store, so one stored
 * under a session no client knows of counts too.
 */
export function compareStored(acked: ReadonlyMap<string, readonly number[]>, storedOf: (sessionId: string) => readonly number[], stored: number): StoredCheck {
  let ackedCount = 0;
  let mismatched = 0;
  let gaps = 0;
  for (const [sessionId, seqs] of acked) {
    const found = storedOf(sessionId);
    const expected = [...seqs].sort((a, b) => a - b);
    ackedCount += expected.length;
    if (!found.every((seq, i) => seq === i)) gaps++;
    if (found.length !== expected.length || found.some((seq, i) => seq !== expected[i])) mismatched++;
  }
  return { acked: ackedCount, stored, mismatched, gaps };
}

/** `acked`: per session id, the sequence numbers the server answered 200 for. */
export function checkStored(dataDir: string, acked: ReadonlyMap<string, readonly number[]>): StoredCheck {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const seqsOf = db.prepare('SELECT seq FROM chunks WHERE session_id = ? ORDER BY seq').pluck();
  const stored = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
  const check = compareStored(acked, (sessionId) => seqsOf.all(sessionId) as number[], stored);
  db.close();
  return check;
}

/** The check in words, for a table's detail column. */
export function storedVerdict(check: StoredCheck): string {
  const verdict = check.stored === check.acked && check.mismatched === 0 && check.gaps === 0 ? 'stored = acknowledged, no gaps' : `LOSS: ${check.mismatched} sessions differ, ${check.gaps} with gaps`;
  return `${check.stored} stored / ${check.acked} acknowledged: ${verdict}`;
}
