/** A digest of the SQLite schema, so a cached benchmark database made by other migrations is not reused. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export function schemaDigest(): string {
  const dir = new URL('../server/storage/sqlite/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(dir).sort()) hash.update(fs.readFileSync(new URL(file, dir)));
  return hash.digest('hex').slice(0, 12);
}
