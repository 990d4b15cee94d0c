/** `npm run dev`: Vite's middleware serving the player with hot reload, and a watching build of recorder.js. */
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import { build, createServer } from 'vite';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** Starts the recorder's watching build; resolves to the player middleware. */
export async function devPlayer(): Promise<RequestHandler> {
  await build({ configFile, mode: 'recorder', logLevel: 'warn', build: { watch: {} } });
  const vite = await createServer({ configFile, server: { middlewareMode: true }, appType: 'spa' });
  return vite.middlewares;
}
