/**
 * The pages the overhead benchmark records, on their own origin (localhost, the replay server
 * being on 127.0.0.1): the TodoMVC examples of the `todomvc` package under `/todomvc/`, and
 * bench/pages/ under `/pages/`. Every HTML page gets, before `</body>`, the recorder its
 * `?recorder=` asks for: `none`, `rrweb` (@rrweb/record's `record` with default options and
 * a no-op sink) or `ours` (the snippet tag, sending to `serverUrl`).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export type RecorderMode = 'none' | 'rrweb' | 'ours';

export interface OverheadSite {
  url: string;
  close(): Promise<void>;
}

const ROOTS: Record<string, string> = {
  todomvc: fileURLToPath(new URL('../node_modules/todomvc/', import.meta.url)),
  pages: fileURLToPath(new URL('./pages/', import.meta.url)),
};
/** Raw rrweb: @rrweb/record alone, minified, recording into a no-op sink (built by buildRawRecord). */
const RAW_RECORD_DIR = fileURLToPath(new URL('../dist/bench/', import.meta.url));
const RAW_RECORD = path.join(RAW_RECORD_DIR, 'raw-record.js');

/** Builds the raw rrweb baseline: the same record code as our snippet's, with nothing of ours. */
export async function buildRawRecord(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir: RAW_RECORD_DIR,
      emptyOutDir: true,
      minify: true,
      lib: { entry: fileURLToPath(new URL('./rawRecord.ts', import.meta.url)), formats: ['iife'], name: 'rawRecord', fileName: () => 'raw-record.js' },
    },
  });
}
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.jsx': 'text/jsx',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** The tags that start `mode` on a page; defer, like the snippet, so all start at the same point. */
export function recorderTags(mode: RecorderMode, serverUrl: string): string {
  if (mode === 'rrweb') return '<script defer src="/bench/raw-record.js"></script>';
  if (mode === 'ours') return `<script defer src="${serverUrl}/recorder.js" data-project="demo" data-endpoint="${serverUrl}"></script>`;
  return '';
}

function fileFor(pathname: string): string | undefined {
  const [, root, ...rest] = pathname.split('/');
  const base = ROOTS[root ?? ''];
  if (!base) return undefined;
  const file = path.resolve(base, decodeURIComponent(rest.join('/')));
  return file.startsWith(base) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
}

export async function startOverheadSite(serverUrl: string): Promise<OverheadSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (url.pathname === '/bench/raw-record.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(fs.readFileSync(RAW_RECORD));
      return;
    }
    const file = fileFor(url.pathname);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    if (type !== 'text/html') {
      res.end(fs.readFileSync(file));
      return;
    }
    const mode = (url.searchParams.get('recorder') ?? 'none') as RecorderMode;
    res.end(fs.readFileSync(file, 'utf8').replace('</body>', `${recorderTags(mode, serverUrl)}</body>`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
