/** `npm start`: build what is missing, then serve the API, the snippet, the demo and the player. */
import { createApp, DEFAULT_ASSETS } from './app';
import { appOptions, loadConfig } from './config';
import { ensureBuilt } from './ensureBuilt';
import { listen } from './listen';

const config = loadConfig(process.env);
await ensureBuilt(DEFAULT_ASSETS);
const replay = await createApp(appOptions(config));
await listen(replay, config);
