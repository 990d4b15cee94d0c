/** Starts a ReplayApp on HOST:PORT and shuts it down cleanly on SIGTERM/SIGINT. */
import type { Server } from 'node:http';
import type { ServerConfig } from './config';
import type { ReplayApp } from './app';

/** Listens, prints where everything is, and closes the database after in-flight requests. */
export function listen(replay: ReplayApp, config: ServerConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = replay.app.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      console.log(`[replay] player   ${base}/`);
      console.log(`[replay] demo     ${base}/demo`);
      console.log(`[replay] snippet  <script defer src="${base}/recorder.js" data-project="${config.projects[0]}"></script>`);
      console.log(`[replay] data     ${config.dataDir}`);
      resolve(server);
    });
    server.once('error', reject);
    const shutdown = () => {
      server.close(() => {
        replay.close();
        process.exit(0);
      });
      server.closeIdleConnections();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}
