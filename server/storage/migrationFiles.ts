/** The migrations of a folder: files NNN_name.sql, applied in order of their number. */
import fs from 'node:fs';
import path from 'node:path';

interface Migration {
  version: number;
  sql: string;
}

/** The migrations in `dir` that `applied` does not count as done yet, oldest first. */
export function pendingMigrations(dir: string, applied: (version: number) => boolean): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_.*\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), file }))
    .filter(({ version }) => !applied(version))
    .map(({ version, file }) => ({ version, sql: fs.readFileSync(path.join(dir, file), 'utf8') }));
}
