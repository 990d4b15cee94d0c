/**
 * The loopback endpoint the overhead benchmark's peers (Sentry replay, posthog-js) send to: it
 * answers what each SDK asks before recording (posthog's remote config, its lazily loaded
 * recorder) and counts the bytes of every replay request body as it arrived.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One replay request: when it arrived (epoch ms) and its body's length. */
export interface SinkPost {
  at: number;
  bytes: number;
}

export interface PeerSink {
  url: string;
  /** The replay requests received since the last call, oldest first. */
  take(): SinkPost[];
  close(): Promise<void>;
}

const POSTHOG_DIST = fileURLToPath(new URL('../node_modules/posthog-js/dist/', import.meta.url));
/** What PostHog's cloud answers a project with recording on: where snapshots go, gzip accepted. */
const POSTHOG_CONFIG = JSON.stringify({
  supportedCompression: ['gzip', 'gzip-js'],
  sessionRecording: { endpoint: '/s/' },
  hasFeatureFlags: false,
  surveys: false,
});
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

/** Sentry's envelope route (`/api/<project>/envelope/`) and posthog's snapshot route (`/s/`). */
function isReplay(pathname: string, body: Buffer): boolean {
  if (/^\/api\/\d+\/envelope\/?$/.test(pathname)) return body.includes('"type":"replay_recording"');
  return pathname === '/s/' || pathname === '/s';
}

export async function startPeerSink(): Promise<PeerSink> {
  let posts: SinkPost[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && isReplay(url.pathname, body)) posts.push({ at: Date.now(), bytes: body.length });
      if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
      if (/^\/array\/[^/]+\/config$/.test(url.pathname) || url.pathname.startsWith('/flags')) {
        return res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' }).end(POSTHOG_CONFIG);
      }
      const asset = url.pathname.startsWith('/static/') ? path.join(POSTHOG_DIST, path.basename(url.pathname)) : '';
      if (asset && fs.existsSync(asset)) return res.writeHead(200, { ...CORS, 'Content-Type': 'text/javascript' }).end(fs.readFileSync(asset));
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' }).end('{"status":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = posts;
      posts = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
