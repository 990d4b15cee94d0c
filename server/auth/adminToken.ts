/**
 * The admin token guarding the read API and the player. REPLAY_ADMIN_TOKEN when set; else
 * the one kept in DATA_DIR/admin-token, generated on the first start (as Jupyter does), owner
 * read/write only, so restarts keep logins valid; with a database several server nodes share,
 * the one kept in that database, so a login is valid on every node.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * Where the token came from: the environment, the file, the file just created, or the shared
 * database (no file then).
 */
export type AdminToken =
  | { token: string; source: 'env' | 'file' | 'created'; file: string }
  | { token: string; source: 'shared'; file: null };

const generateToken = (): string => randomBytes(32).toString('base64url');

/** The token to use for `dataDir`, creating and storing one when none is given or stored. */
export function resolveAdminToken(dataDir: string, fromEnv?: string): AdminToken {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  if (fromEnv) return { token: fromEnv, source: 'env', file };
  fs.mkdirSync(dataDir, { recursive: true });
  const token = generateToken();
  try {
    // 'wx': a token another process wrote first wins; mode applies to the file being created.
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(file, 0o600);
    return { token, source: 'created', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy restored from a backup may have lost its mode: the file holds a password.
  fs.chmodSync(file, 0o600);
  const stored = fs.readFileSync(file, 'utf8').trim();
  if (!stored) throw new Error(`${file} is empty: delete it to generate a new admin token`);
  return { token: stored, source: 'file', file };
}

/** The token kept in a shared database: `share` stores the offered one unless a node did first. */
export async function resolveSharedAdminToken(share: (generated: string) => Promise<string>): Promise<AdminToken> {
  return { token: await share(generateToken()), source: 'shared', file: null };
}
