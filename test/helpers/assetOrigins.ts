/**
 * Origins standing for a site, its CDN and a third party, for the captured-assets tests: each
 * serves files from a map a test may change (a redeploy) and can be taken down, and logs who
 * asked for what.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

export interface ServedFile {
  /** A Content-Type, or `redirect` to answer 302 to `body`. */
  type: string;
  body: string | Buffer;
  /** Answered only once this settles: a file still loading when the test says. */
  held?: Promise<unknown>;
}

export interface AssetOrigin {
  /** e.g. http://127.0.0.2:41234 */
  url: string;
  /** Path → file; change it to redeploy. */
  files: Map<string, ServedFile>;
  /** Every request: path and user agent. */
  requests: Array<{ path: string; userAgent: string }>;
  close(): Promise<void>;
}

/** Serves `files` on `host` (a loopback address or localhost); `cors` adds Access-Control-Allow-Origin: *. */
export async function startAssetOrigin(host: string, cors: boolean, files: Record<string, ServedFile> = {}): Promise<AssetOrigin> {
  const served = new Map(Object.entries(files));
  const requests: AssetOrigin['requests'] = [];
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, userAgent: req.headers['user-agent'] ?? '' });
    const file = served.get(path);
    await file?.held;
    const headers: Record<string, string> = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (!file) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    if (file.type === 'redirect') {
      res.writeHead(302, { ...headers, Location: String(file.body) }).end();
      return;
    }
    // No caching: a redeploy must reach any browser that asks again.
    res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Cache-Control': 'no-store' });
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, host === 'localhost' ? '127.0.0.1' : host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    files: served,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A PNG of `width`×`height` in stripes of `colors` ([r, g, b] each), `stripe` pixels wide. */
export function stripedPng(width: number, height: number, colors: Array<[number, number, number]>, stripe = 8): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(colors[Math.floor((x + y) / stripe) % colors.length], 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
