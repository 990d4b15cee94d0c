/**
 * What other encodings of the recorder's batches would weigh on the wire, for the TodoMVC React
 * and VanillaJS examples: one session each of the overhead benchmark's scripted user, recorded by
 * our snippet into the real server, its stored batches read back and encoded offline. Each
 * figure is the whole session's bytes; the encodings that reach into earlier batches use only
 * batches sent before (a server could hold them acknowledged), so each batch stays decodable
 * from what came before it.
 */
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build } from 'vite';
import { encodeRelativeIds } from '../shared/relativeIds';
import { launchBrowser } from '../test/helpers/browser';
import { measureRun } from './overheadRun';
import { startOverheadSite } from './overheadSite';
import { todoWorkload } from './overheadWorkload';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import type { Row } from './stats';

const APPS = ['react', 'vanillajs'];
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** Deflate's window: the most of earlier batches a preset dictionary can hold. */
const DICTIONARY_BYTES = 32 * 1024;
const KB = 1024;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const gzip = (text: string) => zlib.gzipSync(text).length;
const brotli = (text: string, quality: number) =>
  zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 } }).length;

/** Raw deflate of each text with the end of the texts before it as its preset dictionary, plus gzip's 18 bytes of frame. */
function withDictionary(texts: readonly string[]): number {
  let before = '';
  let total = 0;
  for (const text of texts) {
    const dictionary = Buffer.from(before.slice(-DICTIONARY_BYTES));
    total += zlib.deflateRawSync(text, dictionary.length ? { dictionary } : {}).length + 18;
    before += text;
  }
  return total;
}

/** What a compressor with a window over the whole session would add per batch: brotli of all so far, less all before. */
function longWindow(texts: readonly string[]): number {
  let before = '';
  let total = 0;
  for (const text of texts) {
    total += brotli(before + text, 5) - (before ? brotli(before, 5) : 0);
    before += text;
  }
  return total;
}

/** One recorded session's batch texts (as JSON) and request bodies. */
async function recordSession(app: string): Promise<{ texts: string[]; sentBytes: number; requests: number }> {
  const server = await spawnBenchServer(['real'], ADMIN_TOKEN);
  const serverUrl = `http://127.0.0.1:${server.port}`;
  const site = await startOverheadSite(serverUrl);
  const browser = await launchBrowser();
  try {
    const run = await measureRun(browser, `${site.url}/todomvc/examples/${app}/index.html`, 'ours', '#new-todo', (page) => todoWorkload(page, 1));
    const response = await fetch(`${serverUrl}/api/sessions/${run.sessionId}/events`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const texts = (await response.text()).split('\n').filter(Boolean);
    return { texts, sentBytes: sum(run.posts.map((p) => p.bytes)), requests: run.posts.length };
  } finally {
    await browser.close();
    await site.close();
    await stopBenchServer(server);
  }
}

export async function benchWireEncodings(): Promise<Row[]> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
  const rows: Row[] = [];
  for (const app of APPS) {
    const { texts, sentBytes, requests } = await recordSession(app);
    const relative = texts.map(encodeRelativeIds);
    const plainGzip = sum(texts.map(gzip));
    const figures: [string, number][] = [
      ['request bodies as sent (relative ids, gzip, head members)', sentBytes],
      ['gzip per batch, plain JSON (before relative ids)', plainGzip],
      ['relative ids, gzip per batch', sum(relative.map(gzip))],
      ['relative ids, deflate with the last 32 KB of earlier batches as dictionary', withDictionary(relative)],
      ['relative ids, brotli quality 5 per batch', sum(relative.map((t) => brotli(t, 5)))],
      ['relative ids, brotli quality 11 per batch', sum(relative.map((t) => brotli(t, 11)))],
      ['relative ids, brotli 5 over the whole session so far (a long window’s bound)', longWindow(relative)],
    ];
    const json = sum(texts.map((t) => t.length));
    for (const [name, bytes] of figures) {
      rows.push({
        figure: `wire encodings, TodoMVC ${app}: ${name}`,
        median: `${(bytes / KB).toFixed(1)} KB`,
        range: '',
        detail: `${(bytes / plainGzip).toFixed(2)}× plain gzip; ${texts.length} batches, ${requests} requests, ${(json / KB).toFixed(0)} KB of JSON; one session`,
      });
    }
  }
  return rows;
}
