/**
 * Starts a ReplayServer on HOST:PORT and shuts it down cleanly on SIGTERM/SIGINT.
 *
 * Two outputs: stdout carries only JSON log lines (the operator's stream, which never holds a
 * token); the few lines a person starting the server reads — where the player is, the login
 * link, the snippet — go to stderr as plain text, like Jupyter's login link.
 */
import type { Server } from 'node:http';
import type { AdminToken } from './auth/adminToken';
import type { ServerConfig } from './config';
import type { ReplayServer } from './openServer';
import { say } from './operating/say';

/** In-flight requests get this long to finish on shutdown; then their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The login line: a ready-to-click link, unless the token came from the environment (not repeated). */
function loginLine({ token, source, file }: AdminToken, base: string): string {
  if (source === 'env') return `${base}/login (token: REPLAY_ADMIN_TOKEN)`;
  const link = `${base}/login?token=${encodeURIComponent(token)}`;
  if (source === 'shared') return `${link}  (admin token kept in the DATABASE_URL database, shared by every node)`;
  return `${link}  (admin token ${source === 'created' ? `generated into ${file}` : `from ${file}`})`;
}

/** Listens, says where everything is, and closes the storage after in-flight requests. */
export function listen(replay: ReplayServer, config: ServerConfig): Promise<Server> {
  const { logger } = replay;
  return new Promise((resolve, reject) => {
    const server = replay.app.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      // The URL is not shown: it usually holds the database password.
      const storage = config.databaseUrl === undefined ? config.dataDir : 'PostgreSQL at DATABASE_URL';
      logger.info({ address: base, storage }, 'listening');
      say(`player   ${base}/`);
      say(`login    ${loginLine(replay.adminToken, base)}`);
      say(`demo     ${base}/demo`);
      say(`snippet  <script defer src="${base}/recorder.js" data-project="${config.projects[0]}"></script>`);
      say(`data     ${storage}`);
      resolve(server);
    });
    server.once('error', reject);
    // Stop accepting, let requests under way finish (an acknowledged batch is committed before
    // its answer is sent), then close the database so its WAL is checkpointed.
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'finishing requests under way, then exiting');
      replay.retention.stop();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        replay.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'closing the storage failed');
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
