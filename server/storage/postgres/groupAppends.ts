/**
 * Group commit of batches on PostgreSQL in one round trip: the batches stored in one event-loop
 * turn go to append_batches (migration 008) in one statement, which PostgreSQL runs as one
 * transaction with one WAL flush, where a transaction of their statements (groupTransactions)
 * waits for a round trip per statement. Each promise settles after the commit. When the call
 * fails for another reason than a conflict or an unreachable server (a batch the database
 * refuses), the group is stored again statement by statement, where one batch fails alone.
 */
import type { BatchStatementParams, Work } from '../sql';

interface Pending {
  params: BatchStatementParams;
  data: Buffer;
  work: () => Work<boolean>;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

const APPEND_BATCHES = 'SELECT append_batches($1::jsonb, $2::bytea, $3::integer[]) AS stored';

/** How a group is run: its statement (retried on a conflict), and a work on its own (the fallback). */
export interface AppendRunner {
  /** The rows of one statement outside a transaction, retried when PostgreSQL aborted it in a conflict. */
  query(sql: string, values: unknown[]): Promise<Array<{ stored: boolean[] }>>;
  /** Whether an error of `query` means the database could not be reached (no fallback then). */
  isUnavailable(error: unknown): boolean;
  /** Runs a work in a transaction (grouped, with savepoints when one fails). */
  transaction(work: () => Work<boolean>): Promise<boolean>;
}

/** An `appendBatch` for the SQL driver grouping the batches of one turn into one call. */
export function groupAppends(runner: AppendRunner): (params: BatchStatementParams, data: Buffer, work: () => Work<boolean>) => Promise<boolean> {
  let queue: Pending[] = [];

  const flush = async (): Promise<void> => {
    // In one order on every node, so that two nodes' groups lock their sessions' rows in one order
    // rather than deadlock (PostgreSQL would break it after a second); stable, so a session's
    // batches keep their order and a repeat within the group is the later one.
    const group = queue.sort((a, b) => (a.params.sessionId < b.params.sessionId ? -1 : a.params.sessionId > b.params.sessionId ? 1 : 0));
    queue = [];
    try {
      const [{ stored }] = await runner.query(APPEND_BATCHES, [
        JSON.stringify(group.map((item) => item.params)),
        // One Buffer, which node-postgres sends as a binary parameter, and where each recording ends.
        Buffer.concat(group.map((item) => item.data)),
        group.map((item) => item.data.length),
      ]);
      group.forEach((item, i) => item.resolve(stored[i]));
    } catch (error) {
      if (runner.isUnavailable(error)) {
        for (const item of group) item.reject(error);
        return;
      }
      for (const item of group) runner.transaction(item.work).then(item.resolve, item.reject);
    }
  };

  return (params, data, work) =>
    new Promise<boolean>((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ params, data, work, resolve, reject });
    });
}
