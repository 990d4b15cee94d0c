/** Opens player pages the way a viewer does; the one place a sign-in step belongs. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { ChunkHeader } from '../../shared/chunkFrames';
import type { TestServer } from './server';

/** The window size the screenshots are taken at. */
export const SCREEN = { width: 1280, height: 800 };

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Browser permissions for the player's origin, e.g. clipboard access. */
  permissions?: string[];
  /** Another origin in front of the server to open the player through (see startSlowNetwork). */
  origin?: string;
  /**
   * Installs Playwright's fake clock before the page loads: time flows as usual until the test
   * pauses it (`page.clock.pauseAt`), and then the replay moves only when it calls `runFor`.
   */
  fakeClock?: boolean;
}

/**
 * Opens `path` (starting with `/`) of the player in a fresh browser context, signed in through
 * the login link the server prints, and returns the page; closing the page closes its context.
 */
export async function openPlayer(browser: Browser, server: TestServer, path: string, options: OpenOptions = {}): Promise<Page> {
  const origin = options.origin ?? server.url;
  const context = await browser.newContext({ viewport: options.viewport ?? SCREEN });
  if (options.permissions) await context.grantPermissions(options.permissions, { origin });
  if (options.fakeClock) await context.clock.install();
  const page = await context.newPage();
  // The browser may be shutting down already (afterAll), and then the context is gone with it.
  page.on('close', () => void context.close().catch(() => undefined));
  await page.goto(server.loginUrl(path).replace(server.url, origin));
  return page;
}

/** Writes a PNG of the page to test/artifacts/ (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(name, ARTIFACTS).pathname });
}

export interface SlowNetwork {
  /** The proxy's origin: open the player here instead of at the server. */
  url: string;
  /** Lets the held parts of event streams through. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A proxy in front of the real server that passes everything through, except that each session
 * event stream sends its first chunk and then holds the rest until `release()`: a long
 * recording on a slow network, in a test's time.
 */
export async function startSlowNetwork(target: TestServer): Promise<SlowNetwork> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const proxy = http.createServer((req, res) => {
    const upstream = http.request(
      `${target.url}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target.url).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!/\/api\/sessions\/[^/]+\/events/.test(req.url ?? '') || answer.statusCode !== 200) {
          answer.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () => {
          // The first chunk is its header line and the `bytes` bytes the header announces.
          const body = Buffer.concat(parts);
          const headerEnd = body.indexOf('\n') + 1;
          const { bytes } = JSON.parse(body.subarray(0, headerEnd).toString('utf8')) as ChunkHeader;
          res.write(body.subarray(0, headerEnd + bytes));
          void released.then(() => res.end(body.subarray(headerEnd + bytes)));
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}
