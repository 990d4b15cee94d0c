/**
 * Group commit on PostgreSQL: the transactions asked for in one event-loop turn run in one
 * transaction on one connection (one BEGIN, one COMMIT, one WAL flush); when one fails, the
 * group runs again with each inside a savepoint, so that the failing one is rolled back alone. One that PostgreSQL aborted to break a deadlock
 * with another node's runs again afterwards on its own. Each promise settles after its commit.
 */
import type pg from 'pg';
import type { Work } from '../sql';

interface Pending {
  work: () => Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A `transaction` function grouping the calls of one turn: `inTransaction` runs a callback in
 * a transaction (retrying it whole on a conflict), `perform` runs a work's statements on a client.
 */
export function groupTransactions(
  inTransaction: <T>(callback: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
  perform: (client: pg.PoolClient, work: Work<unknown>) => Promise<unknown>,
  isRetryable: (error: unknown) => boolean,
): <T>(work: () => Work<T>) => Promise<T> {
  let queue: Pending[] = [];

  const alone = (item: Pending): void => {
    inTransaction((client) => perform(client, item.work())).then(item.resolve, item.reject);
  };

  const flush = async (): Promise<void> => {
    const group = queue;
    queue = [];
    if (group.length === 1) return alone(group[0]);
    // Nearly every group succeeds whole: first without savepoints, two round trips a work fewer.
    const values = await inTransaction(async (client) => {
      const attempt: unknown[] = [];
      for (const item of group) attempt.push(await perform(client, item.work()));
      return attempt;
    }).catch(() => null);
    if (values) {
      group.forEach((item, i) => item.resolve(values[i]));
      return;
    }
    let outcomes: Map<Pending, Outcome>;
    try {
      outcomes = await inTransaction(async (client) => {
        // Fresh on every attempt: a retried group starts from nothing.
        const attempt = new Map<Pending, Outcome>();
        for (const item of group) {
          await client.query('SAVEPOINT work');
          try {
            attempt.set(item, { ok: true, value: await perform(client, item.work()) });
            await client.query('RELEASE SAVEPOINT work');
          } catch (error) {
            await client.query('ROLLBACK TO SAVEPOINT work');
            attempt.set(item, { ok: false, error });
          }
        }
        return attempt;
      });
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    for (const [item, outcome] of outcomes) {
      if (outcome.ok) item.resolve(outcome.value);
      else if (isRetryable(outcome.error)) alone(item);
      else item.reject(outcome.error);
    }
  };

  return <T>(work: () => Work<T>) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
}
