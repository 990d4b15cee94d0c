/** `npm run dev`: the same server with Vite's HMR for the player and a watching build of recorder.js. */
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vite';
import { createApp } from './app';
import { appOptions, loadConfig } from './config';
import { listen } from './listen';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const config = loadConfig(process.env);
await build({ configFile, mode: 'recorder', logLevel: 'warn', build: { watch: {} } });
const vite = await createServer({ configFile, server: { middlewareMode: true }, appType: 'spa' });
const replay = await createApp({
  ...appOptions(config),
  playerMiddleware: vite.middlewares,
});
await listen(replay, config);
