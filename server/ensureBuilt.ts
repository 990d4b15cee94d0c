/** Builds the player and the snippet with Vite when their output is missing (first `npm start`). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { AssetPaths } from './routes/assets';

const CONFIG_FILE = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** Runs `vite build` for whichever of the two outputs is missing. */
export async function ensureBuilt(paths: AssetPaths): Promise<void> {
  if (!fs.existsSync(path.join(paths.playerDir, 'index.html'))) {
    console.log('[replay] building the player (first start)…');
    await build({ configFile: CONFIG_FILE, logLevel: 'warn' });
  }
  if (!fs.existsSync(paths.recorderFile)) {
    console.log('[replay] building recorder.js (first start)…');
    await build({ configFile: CONFIG_FILE, mode: 'recorder', logLevel: 'warn' });
  }
}
