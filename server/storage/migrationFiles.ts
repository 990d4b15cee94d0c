/**
 * The migrations of a folder: files NNN_name.sql, applied in order of their number, with the
 * schema constants both databases share filled in from the TypeScript that also reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import { LENGTH_BUCKET_EDGES, SLOT_MS } from '../../shared/lengthSource';

/** `length_ms`'s bucket (its lower edge in LENGTH_BUCKET_EDGES), as an SQL CASE both databases run. */
function lengthBucketCase(): string {
  const ladder = LENGTH_BUCKET_EDGES.slice(1).map((edge, i) => `WHEN length_ms < ${edge} THEN ${LENGTH_BUCKET_EDGES[i]}`);
  return `CASE WHEN length_ms IS NULL THEN NULL ${ladder.join(' ')} ELSE ${LENGTH_BUCKET_EDGES[LENGTH_BUCKET_EDGES.length - 1]} END`;
}

const CONSTANTS: Record<string, string> = {
  LENGTH_BUCKET: lengthBucketCase(),
  SLOT_MS: String(SLOT_MS),
  IDLE_GAP_MS: String(IDLE_GAP_MS),
  ACTIVE_IDLE_MS: String(ACTIVE_IDLE_MS),
};

/** `sql` with each {{NAME}} replaced by the constant of that name. */
export function withConstants(sql: string): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = CONSTANTS[name];
    if (value === undefined) throw new Error(`migration names an unknown constant {{${name}}}`);
    return value;
  });
}

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
    .map(({ version, file }) => ({ version, sql: withConstants(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}
