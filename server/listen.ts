/** Starts a ReplayApp on HOST:PORT and shuts it down cleanly on SIGTERM/SIGINT. */
import type { Server } from 'node:http';
import type { ServerConfig } from './config';
import type { ReplayApp } from './app';
import type { AdminToken } from './auth/adminToken';

/** In-flight requests get this long to finish on shutdown; then their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The login line: a ready-to-click link, unless the token came from the environment (kept out of logs). */
function loginLine({ token, source, file }: AdminToken, base: string): string {
  if (source === 'env') return `${base}/login (token: REPLAY_ADMIN_TOKEN)`;
  const link = `${base}/login?token=${encodeURIComponent(token)}`;
  if (source === 'shared') return `${link}  (admin token kept in the DATABASE_URL database, shared by every node)`;
  return `${link}  (admin token ${source === 'created' ? `generated into ${file}` : `from ${file}`})`;
}

/** Listens, prints where everything is, and closes the database after in-flight requests. */
export function listen(replay: ReplayApp, config: ServerConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = replay.app.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      console.log(`[replay] player   ${base}/`);
      console.log(`[replay] login    ${loginLine(replay.adminToken, base)}`);
      console.log(`[replay] demo     ${base}/demo`);
      console.log(`[replay] snippet  <script defer src="${base}/recorder.js" data-project="${config.projects[0]}"></script>`);
      // The URL is not printed: it usually holds the database password.
      console.log(`[replay] data     ${config.databaseUrl === undefined ? config.dataDir : 'PostgreSQL at DATABASE_URL'}`);
      resolve(server);
    });
    server.once('error', reject);
    // Stop accepting, let requests under way finish (an acknowledged batch is committed before
    // its answer is sent), then close the database so its WAL is checkpointed.
    const shutdown = (signal: NodeJS.Signals) => {
      console.log(`[replay] ${signal}: finishing requests under way, then exiting`);
      replay.retention.stop();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        replay.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error('[replay] closing the storage failed:', error);
            process.exit(1);
          },
        );
      });
      server.closeIdleConnections();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}
