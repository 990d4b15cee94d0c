/**
 * What the SQL written once (queries/) needs of a database, and what each driver (sqlite/,
 * postgres/) supplies: statements with named parameters (`:name`), transactions, and the few
 * spellings the two databases do not share.
 */

/** Values of a statement's `:name` parameters. */
export type Params = Readonly<Record<string, unknown>>;

/** A batch's statement parameters (queries/appendBatch.ts batchParams), keyed by its session. */
export type BatchStatementParams = Params & { readonly sessionId: string };

/** One statement of a transaction: `rows` as objects, `tuples` as arrays, or how many rows `changes`. */
export interface Step {
  kind: 'rows' | 'tuples' | 'changes';
  sql: string;
  params: Params;
}

/**
 * A transaction's work, as a generator of the statements it runs: each driver runs it its own
 * way (SQLite synchronously, so no other request's statements can come in between; PostgreSQL
 * on one connection, again from the start when it aborts a conflict), and the work is written once.
 */
export type Work<T> = Generator<Step, T, unknown>;

/** The rows of `sql`, within a transaction. */
export function* rows<T>(sql: string, params: Params = {}): Work<T[]> {
  return (yield { kind: 'rows', sql, params }) as T[];
}

/** The rows of `sql` as arrays of their columns, within a transaction. */
export function* tuples<T>(sql: string, params: Params = {}): Work<T[]> {
  return (yield { kind: 'tuples', sql, params }) as T[];
}

/** Runs `sql` within a transaction; resolves to how many rows it changed. */
export function* changes(sql: string, params: Params = {}): Work<number> {
  return (yield { kind: 'changes', sql, params }) as number;
}

/** Where the two databases' SQL differs. */
export interface SqlDialect {
  /** Condition: `column` contains the text parameter `param` (a name without its colon). */
  contains(column: string, param: string): string;
  /**
   * Aggregate: each group's sessions (those the condition `only` keeps) as one JSON array text of
   * [first_activity_at, last_activity_at, clock_offset_ms, idle_gaps, signal_times] in order of
   * (first_activity_at, id); signal_times left out when NULL (most sessions), so their text is
   * no longer than without it. No session kept: NULL or '[]'. `ordered` false: in the order the
   * rows come (from a sorted subquery).
   */
  deviceSessionsJson(only?: string, ordered?: boolean): string;
  /** Aggregate: the group's values of integer `column` as one text of comma-separated numbers ('' for none). */
  numberList(column: string): string;
  /**
   * Condition: `column` is one of `values`, with its parameters (names starting with `param`):
   * one parameter each on SQLite, whose planner reads the list; one array on PostgreSQL, so
   * every list is the same statement, planned and prepared once.
   */
  inList(column: string, param: string, values: readonly number[]): { condition: string; params: Params };
  /** Planner hint after a table name: walk `index` (SQLite has no statistics to choose it). */
  indexedBy(index: string): string;
  /**
   * Condition, always true, that keeps PostgreSQL from planning its query with parallel workers
   * (it never parallelises a query calling a parallel-unsafe function, migration 012), for a
   * walk of an index in its order that it would otherwise trade for a parallel scan and sort.
   */
  readonly serialPlan: string;
  /**
   * Whether a page that walks its sort index under a `url` or `event` filter reads its ids
   * first, from the index alone, testing each against the filter (see pageSql): PostgreSQL
   * would otherwise join and sort every match. SQLite already tests each entry it walks.
   */
  readonly walksIdsForSubqueryFilters: boolean;
  /**
   * Statement that takes, until the transaction ends, the lock serialising the writers of session
   * `:sessionId`, whether or not its row exists yet: appendBatch reads what it folds a batch into
   * before its one write of the row. Null where transactions already run one at a time (SQLite).
   */
  readonly lockSession: string | null;
}

export interface SqlDriver {
  /** Rows of `sql` outside any transaction. */
  rows<T>(sql: string, params?: Params): Promise<T[]>;
  /** Runs `work` in one transaction, committed before the promise resolves. */
  transaction<T>(work: () => Work<T>): Promise<T>;
  /**
   * Stores a batch as `transaction(work)` would (`work` is queries/appendBatch.ts appendBatch of
   * `params` and `data`), for a driver that has a faster way.
   */
  appendBatch?(params: BatchStatementParams, data: Buffer, work: () => Work<boolean>): Promise<boolean>;
  readonly dialect: SqlDialect;
  /** Whether several server nodes share this database (and so keep shared settings in it). */
  readonly sharedByNodes: boolean;
  close(): Promise<void>;
}

/** A statement compiled for a driver: its text with placeholders, and the parameter of each. */
interface Compiled {
  text: string;
  names: string[];
}

/**
 * Compiles `:name` parameters into the driver's placeholders: `?` per occurrence (SQLite;
 * better-sqlite3 reads `?1` as a named parameter) or `$1`, `$2`… one per name (PostgreSQL).
 */
function compile(sql: string, style: '?' | '$'): Compiled {
  const names: string[] = [];
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_match, name: string) => {
    if (style === '?') {
      names.push(name);
      return '?';
    }
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, names };
}

/** The values of `compiled`'s placeholders, in order; a missing parameter is a bug, so it throws. */
export function bind(compiled: Compiled, params: Params): unknown[] {
  return compiled.names.map((name) => {
    const value = params[name];
    if (value === undefined) throw new Error(`SQL parameter :${name} has no value`);
    return value;
  });
}

/** Compiles each distinct statement once: the same texts come back for every batch and page. */
export function compiler(style: '?' | '$'): (sql: string) => Compiled {
  const cache = new Map<string, Compiled>();
  return (sql) => {
    let compiled = cache.get(sql);
    if (!compiled) {
      compiled = compile(sql, style);
      cache.set(sql, compiled);
    }
    return compiled;
  };
}
