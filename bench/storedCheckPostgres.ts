/** bench/storedCheck.ts for a PostgreSQL database, read once every server node has stopped. */
import pg from 'pg';
import { compareStored, type StoredCheck } from './storedCheck';

/** `acked`: per session id, the sequence numbers the nodes answered 200 for. */
export async function checkStoredPostgres(databaseUrl: string, acked: ReadonlyMap<string, readonly number[]>): Promise<StoredCheck> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    // One query for every session: the bench's sessions are few and their chunks' numbers small.
    const { rows } = await client.query<{ session_id: string; seqs: number[] }>('SELECT session_id, array_agg(seq ORDER BY seq) AS seqs FROM chunks GROUP BY session_id');
    const bySession = new Map(rows.map((row) => [row.session_id, row.seqs]));
    const stored = rows.reduce((sum, row) => sum + row.seqs.length, 0);
    return compareStored(acked, (sessionId) => bySession.get(sessionId) ?? [], stored);
  } finally {
    await client.end();
  }
}
