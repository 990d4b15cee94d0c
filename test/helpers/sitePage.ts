/**
 * A stand-in for a customer's site: serves test/fixtures/*.html on its own origin (so ingest
 * is cross-origin, as in production) with the real snippet tag in place of %SNIPPET%. Each
 * query parameter becomes a data-* attribute: `/page.html?session-timeout-ms=1000`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const FIXTURES = new URL('../fixtures/', import.meta.url);

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** The snippet tag for `serverUrl` with extra data-* attributes. */
export function snippetTag(serverUrl: string, attributes: Iterable<[string, string]> = []): string {
  const extra = [...attributes].map(([name, value]) => ` data-${name}="${value.replace(/"/g, '&quot;')}"`).join('');
  return `<script defer src="${serverUrl}/recorder.js" data-project="demo"${extra}></script>`;
}

/** Serves the fixtures with snippets loading from `serverUrl`. */
export async function startSite(serverUrl: string): Promise<Site> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const name = url.pathname.replace(/^\/+/, '') || 'page.html';
    const file = new URL(name, FIXTURES);
    if (!/^[\w-]+\.html$/.test(name) || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(fs.readFileSync(file, 'utf8').replace('%SNIPPET%', snippetTag(serverUrl, url.searchParams)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // localhost vs the server's 127.0.0.1: another origin, as a customer's site would be.
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
