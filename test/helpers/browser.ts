/** Launches the system Chromium through playwright-core (no browser download here). */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** CHROME_PATH, or the first Chromium found in the usual places. */
export function findChromium(): string {
  const path = process.env.CHROME_PATH || CANDIDATES.find((p) => fs.existsSync(p));
  if (!path || !fs.existsSync(path)) {
    throw new Error(
      `No Chromium found (tried CHROME_PATH and ${CANDIDATES.join(', ')}). Install it: apt-get install -y chromium`,
    );
  }
  return path;
}

/** `extraArgs`: more command-line flags (e.g. V8's, for a test that inspects objects). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      ...extraArgs,
    ],
  });
}
