/**
 * The pages the overhead benchmark records, on their own origin (localhost, the replay server
 * being on 127.0.0.1): the TodoMVC examples of the `todomvc` package under `/todomvc/`, and
 * bench/pages/ under `/pages/`. Every HTML page gets, before `</body>`, the recorder its
 * `?recorder=` asks for: `none`, `rrweb` (@rrweb/record's `record` with default options and
 * a no-op sink), `ours` (the snippet tag, sending to `serverUrl`), or a peer sending to
 * `sinkUrl` (bench/peerSink.ts): `sentry` (Sentry's session replay) or `posthog` (posthog-js).
 * With `?jsx=compiled`, a page's `text/jsx` scripts arrive compiled to JavaScript (as a site ships
 * them) instead of being compiled in the browser by the JSXTransformer it loads.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transformWithOxc } from 'vite';

export type RecorderMode = 'none' | 'rrweb' | 'ours' | 'sentry' | 'posthog';

export interface OverheadSite {
  url: string;
  close(): Promise<void>;
}

const ROOTS: Record<string, string> = {
  todomvc: fileURLToPath(new URL('../node_modules/todomvc/', import.meta.url)),
  pages: fileURLToPath(new URL('./pages/', import.meta.url)),
};
/** The bench's own scripts, minified (built by buildRawRecord). */
const BENCH_DIR = fileURLToPath(new URL('../dist/bench/', import.meta.url));
/** Each script served under /bench/: raw rrweb (@rrweb/record alone, no-op sink) and the peers. */
const BENCH_SCRIPTS: Record<string, string> = {
  'raw-record.js': './rawRecord.ts',
  'sentry-record.js': './sentryRecord.ts',
  'posthog-record.js': './posthogRecord.ts',
};

/** Builds the raw rrweb baseline (the same record code as our snippet's, with nothing of ours) and the peers. */
export async function buildRawRecord(): Promise<void> {
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  for (const [name, source] of Object.entries(BENCH_SCRIPTS)) {
    await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir: BENCH_DIR,
        emptyOutDir: false,
        minify: true,
        lib: { entry: fileURLToPath(new URL(source, import.meta.url)), formats: ['iife'], name: name.replace(/\W/g, '_'), fileName: () => name },
      },
    });
  }
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
export function recorderTags(mode: RecorderMode, serverUrl: string, sinkUrl = ''): string {
  if (mode === 'rrweb') return '<script defer src="/bench/raw-record.js"></script>';
  if (mode === 'sentry') return `<script defer src="/bench/sentry-record.js" data-dsn="${sinkUrl.replace('//', '//bench@')}/1"></script>`;
  if (mode === 'posthog') return `<script defer src="/bench/posthog-record.js" data-api-host="${sinkUrl}"></script>`;
  if (mode === 'ours') return `<script defer src="${serverUrl}/recorder.js" data-project="demo" data-endpoint="${serverUrl}"></script>`;
  return '';
}

const compiledJsx = new Map<string, string>();

/** `file` (JSX of React 0.12's time: `React.createElement`, no imports) as plain JavaScript. */
async function compileJsx(file: string): Promise<string> {
  let code = compiledJsx.get(file);
  if (code === undefined) {
    code = (await transformWithOxc(fs.readFileSync(file, 'utf8'), file, { lang: 'jsx', jsx: { runtime: 'classic', pragma: 'React.createElement' } })).code;
    compiledJsx.set(file, code);
  }
  return code;
}

/** `html` with its JSXTransformer gone and its `text/jsx` scripts asked for compiled. */
function withJsxCompiled(html: string): string {
  return html
    .replace(/<script src="[^"]*JSXTransformer\.js"><\/script>/, '')
    .replace(/<script type="text\/jsx" src="([^"]+\.jsx)">/g, '<script src="$1?jsx=compiled">');
}

function fileFor(pathname: string): string | undefined {
  const [, root, ...rest] = pathname.split('/');
  const base = ROOTS[root ?? ''];
  if (!base) return undefined;
  const file = path.resolve(base, decodeURIComponent(rest.join('/')));
  return file.startsWith(base) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
}

/** `sinkUrl`: where the peers send (bench/peerSink.ts), for the `sentry` and `posthog` modes. */
export async function startOverheadSite(serverUrl: string, sinkUrl = ''): Promise<OverheadSite> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const script = url.pathname.match(/^\/bench\/([\w-]+\.js)$/)?.[1];
    if (script && script in BENCH_SCRIPTS) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(fs.readFileSync(path.join(BENCH_DIR, script)));
      return;
    }
    const file = fileFor(url.pathname);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    const compiled = url.searchParams.get('jsx') === 'compiled';
    if (compiled && file.endsWith('.jsx')) {
      compileJsx(file).then(
        (code) => res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(code),
        (error: Error) => res.writeHead(500).end(`compiling ${url.pathname}: ${error.message}`),
      );
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    if (type !== 'text/html') {
      res.end(fs.readFileSync(file));
      return;
    }
    const mode = (url.searchParams.get('recorder') ?? 'none') as RecorderMode;
    const html = fs.readFileSync(file, 'utf8');
    res.end((compiled ? withJsxCompiled(html) : html).replace('</body>', `${recorderTags(mode, serverUrl, sinkUrl)}</body>`));
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
