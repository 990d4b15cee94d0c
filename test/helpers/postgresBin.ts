/** Finds Debian's PostgreSQL binaries; no imports beyond node's, since vite.config.ts loads it too. */
import fs from 'node:fs';
import path from 'node:path';

/** The directory holding initdb and postgres: POSTGRES_BIN, else Debian's newest version; null when none. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.POSTGRES_BIN) return fs.existsSync(path.join(env.POSTGRES_BIN, 'initdb')) ? env.POSTGRES_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : null;
}
