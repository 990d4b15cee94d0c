/** What the SQL both backends share needs of a database: rows of a query, and which SQL it speaks. */
export interface SqlReader {
  /** Rows of `sql`, whose parameters are `?` placeholders. */
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  /**
   * Where the two differ: SQLite keeps no statistics and is told which index to walk (INDEXED
   * BY), and each database builds JSON with functions of its own.
   */
  readonly dialect: 'sqlite' | 'postgres';
}
