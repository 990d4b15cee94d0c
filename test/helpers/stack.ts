/** The whole product for a browser test: the real server, a customer site on another origin, Chromium. */
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { startServer, type ServerOptions, type TestServer } from './server';
import { startSite, type Site, type SiteOptions } from './sitePage';

export interface Stack {
  server: TestServer;
  site: Site;
  browser: Browser;
  stop(): Promise<void>;
}

export interface StackOptions {
  server?: ServerOptions;
  site?: SiteOptions;
  /** More Chromium flags. */
  browserArgs?: string[];
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const server = await startServer(options.server);
  const site = await startSite(server.url, options.site);
  const browser = await launchBrowser(options.browserArgs);
  const stack: Stack = {
    server,
    site,
    browser,
    // Reads stack.server at stop time: a test may have restarted the server.
    stop: async () => {
      await browser.close();
      await site.close();
      await stack.server.stop();
    },
  };
  return stack;
}
