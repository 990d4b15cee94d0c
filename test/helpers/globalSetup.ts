/** Builds the snippet, the player and the export player once per test run, so browser tests use the current source. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
  await build({ configFile, logLevel: 'warn' });
  await build({ configFile, mode: 'recorder', logLevel: 'warn' });
  await build({ configFile, mode: 'export', logLevel: 'warn' });
}
