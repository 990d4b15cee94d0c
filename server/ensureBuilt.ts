/** Builds the player, the snippet and the export player with Vite when their output is missing (first `npm start`). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetPaths } from './routes/assets';
import { say } from './operating/say';

const CONFIG_FILE = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** Runs `vite build` for whichever of the outputs is missing. */
export async function ensureBuilt(paths: AssetPaths): Promise<void> {
  const outputs = [
    // The precompressed copies are looked for: a build from before they existed is redone.
    { name: 'the player', file: path.join(paths.playerDir, 'index.html.br'), mode: undefined },
    { name: 'recorder.js', file: `${paths.recorderFile}.br`, mode: 'recorder' },
    { name: 'the export player', file: path.join(paths.exportDir, 'export.js'), mode: 'export' },
  ].filter((output) => !fs.existsSync(output.file));
  if (outputs.length === 0) return;
  // Loaded only when there is something to build: a normal start does not pay for Vite.
  const { build } = await import('vite');
  for (const { name, mode } of outputs) {
    say(`building ${name} (first start)…`);
    await build({ configFile: CONFIG_FILE, mode, logLevel: 'warn' });
  }
}
