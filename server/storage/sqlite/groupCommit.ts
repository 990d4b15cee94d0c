/**
 * Group commit on SQLite: the transactions asked for while the event loop handles one round of
 * I/O (every batch whose body arrived in it) run together in one BEGIN IMMEDIATE … COMMIT, so
 * they share one commit; when one fails, the group runs again with each inside its own
 * savepoint, so that the failing one is rolled back alone. Each promise resolves only after
 * the COMMIT and a `sync` begun after it (walSync.ts): acknowledged is still durable.
 */
import type Database from 'better-sqlite3';
import type { Step, Work } from '../sql';

interface Pending {
  work: () => Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A `transaction` function over `db` that groups the calls of one event-loop turn; `run`
 * executes one statement of a work, `sync` makes what was committed durable.
 */
export function groupCommit(
  db: Database.Database,
  run: (step: Step) => unknown,
  sync: () => Promise<void>,
): <T>(work: () => Work<T>) => Promise<T> {
  const control = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT work'),
    release: db.prepare('RELEASE work'),
    undo: db.prepare('ROLLBACK TO work'),
  };
  let queue: Pending[] = [];

  const perform = (work: Work<unknown>): unknown => {
    let next = work.next();
    while (!next.done) next = work.next(run(next.value));
    return next.value;
  };

  /**
   * Runs `group` in one transaction without savepoints, as nearly every group succeeds whole:
   * true once committed; false, rolled back, when a work failed (the group then runs guarded).
   */
  const runUnguarded = (group: Pending[], outcomes: Map<Pending, Outcome>): boolean => {
    control.begin.run();
    const values: unknown[] = [];
    try {
      for (const item of group) values.push(perform(item.work()));
    } catch {
      if (db.inTransaction) control.rollback.run();
      return false;
    }
    control.commit.run();
    group.forEach((item, i) => outcomes.set(item, { ok: true, value: values[i] }));
    return true;
  };

  /** Runs `group` in one transaction, a savepoint each; the works to run again when an error ended it early. */
  const runGroup = (group: Pending[], outcomes: Map<Pending, Outcome>): Pending[] => {
    control.begin.run();
    for (let i = 0; i < group.length; i++) {
      const item = group[i];
      control.savepoint.run();
      try {
        const value = perform(item.work());
        control.release.run();
        outcomes.set(item, { ok: true, value });
      } catch (error) {
        outcomes.set(item, { ok: false, error });
        // Some errors (disk full, I/O) make SQLite roll the whole transaction back: the works
        // before this one are gone with it and run again in a fresh one, without this one.
        if (!db.inTransaction) return [...group.slice(0, i), ...group.slice(i + 1)].filter((other) => outcomes.get(other)?.ok !== false);
        control.undo.run();
        control.release.run();
      }
    }
    control.commit.run();
    return [];
  };

  const flush = (): void => {
    let group = queue;
    queue = [];
    const outcomes = new Map<Pending, Outcome>();
    try {
      if (runUnguarded(group, outcomes)) group = [];
      while (group.length > 0) group = runGroup(group, outcomes);
    } catch (error) {
      // BEGIN or COMMIT failed (busy past the timeout, disk): nothing of the group is stored.
      if (db.inTransaction) control.rollback.run();
      for (const item of group) outcomes.set(item, { ok: false, error });
    }
    const committed: [Pending, unknown][] = [];
    for (const [item, outcome] of outcomes) {
      if (outcome.ok) committed.push([item, outcome.value]);
      else item.reject(outcome.error);
    }
    if (committed.length === 0) return;
    sync().then(
      () => committed.forEach(([item, value]) => item.resolve(value)),
      (error: unknown) => committed.forEach(([item]) => item.reject(error)),
    );
  };

  return <T>(work: () => Work<T>) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
}
