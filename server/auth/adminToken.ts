/**
 * The admin token guarding the read API and the player. REPLAY_ADMIN_TOKEN when set; else
 * the one kept in DATA_DIR/admin-token, generated on the first start (as Jupyter does), owner
 * read/write only, so restarts keep logins valid.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminToken {
  token: string;
  /** Where it came from: the environment, the file, or the file just created. */
  source: 'env' | 'file' | 'created';
  file: string;
}

/** The token to use for `dataDir`, creating and storing one when none is given or stored. */
export function resolveAdminToken(dataDir: string, fromEnv?: string): AdminToken {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  if (fromEnv) return { token: fromEnv, source: 'env', file };
  fs.mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
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
