/** Opens the SQLite file with the pragmas the server relies on and applies pending migrations. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pendingMigrations } from '../migrationFiles';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens (creating if needed) `file` in WAL mode and migrates it to the latest schema version. */
export function openDatabase(file: string): Database.Database {
  // Recordings are visitors' data: only the server's user may read them. SQLite gives the
  // -wal and -shm files the database file's permissions.
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL at every commit: an acknowledged batch survives a power cut, not only
  // a crash of the process, which is the promise ingest makes.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies every migrations/NNN_*.sql above the file's user_version, each in a transaction. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const { version, sql } of pendingMigrations(MIGRATIONS_DIR, (v) => v <= current)) {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
