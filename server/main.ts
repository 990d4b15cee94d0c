/**
 * The composition root. `npm start`: build what is missing, then serve the API, the snippet,
 * the demo and the player; `npm run dev` (`--dev`): the player from Vite with hot reload.
 */
import { loadConfig } from './config';
import { ensureBuilt } from './ensureBuilt';
import { listen } from './listen';
import { openServer } from './openServer';

const config = loadConfig(process.env);
const dev = process.argv.includes('--dev');
// Vite is loaded only for --dev: a normal start does not pay for it.
const playerMiddleware = dev ? await (await import('./devPlayer')).devPlayer() : undefined;
if (!dev) await ensureBuilt(config.assets);
await listen(await openServer(config, { playerMiddleware }), config);
