/**
 * A stand-in for a customer's site: serves test/fixtures/*.html on its own origin (so ingest
 * is cross-origin, as in production) with the real snippet tag in place of %SNIPPET% and its
 * own origin in place of %ORIGIN%. Each query parameter becomes a data-* attribute:
 * `/page.html?session-timeout-ms=1000`. It logs every request it gets, so a test can tell
 * whether anything called home (`/pwned?…` answers 204).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const FIXTURES = new URL('../fixtures/', import.meta.url);

export interface Site {
  url: string;
  /** Path and query of every request the site got, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface SiteOptions {
  /**
   * Serve recorder.js (and its chunks) from the site itself, the snippet pointing at the replay server with
   * data-endpoint: the page keeps its recorder while the replay server is down.
   */
  hostSnippet?: boolean;
}

const RECORDER_DIR = new URL('../../dist/recorder/', import.meta.url);

/** The snippet tag for `serverUrl` with extra data-* attributes. */
export function snippetTag(serverUrl: string, attributes: Iterable<[string, string]> = [], hostSnippet = false): string {
  const all = hostSnippet ? [['endpoint', serverUrl] as [string, string], ...attributes] : [...attributes];
  const extra = all.map(([name, value]) => ` data-${name}="${value.replace(/"/g, '&quot;')}"`).join('');
  return `<script defer src="${hostSnippet ? '' : serverUrl}/recorder.js" data-project="demo"${extra}></script>`;
}

/** Serves the fixtures with snippets loading from `serverUrl`. */
export async function startSite(serverUrl: string, options: SiteOptions = {}): Promise<Site> {
  const requests: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'http://site');
    if (url.pathname === '/pwned') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
      return;
    }
    const recorderFile = new URL(`.${url.pathname}`, RECORDER_DIR);
    if (options.hostSnippet && /^\/(recorder|chunks\/[\w-]+)\.js$/.test(url.pathname) && fs.existsSync(recorderFile)) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(fs.readFileSync(recorderFile));
      return;
    }
    const name = url.pathname.replace(/^\/+/, '') || 'page.html';
    const file = new URL(name, FIXTURES);
    if (!/^[\w-]+\.html$/.test(name) || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    const html = fs.readFileSync(file, 'utf8').replaceAll('%ORIGIN%', origin);
    res.end(html.replace('%SNIPPET%', snippetTag(serverUrl, url.searchParams, options.hostSnippet)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // localhost vs the server's 127.0.0.1: another origin, as a customer's site would be.
  origin = `http://localhost:${port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
