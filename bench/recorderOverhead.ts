/**
 * Recorder overhead on real pages: the TodoMVC React (as published, and with its JSX compiled
 * ahead) and VanillaJS examples (npm `todomvc`),
 * bench/pages/heavy.html and bench/pages/large.html, each run with no recorder, raw rrweb
 * `record` (@rrweb/record, the same code our snippet records with, default options, no-op sink) and our snippet sending to the real server (its own process); the TodoMVC pages
 * also with two peers, Sentry's session replay and posthog-js, each sending to a loopback
 * endpoint (bench/peerSink.ts) that counts their bytes. Modes alternate within each round, so
 * drift on this shared machine falls on all of them alike.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchBrowser } from '../test/helpers/browser';
import { OVERHEAD_PAGES as PAGES } from './overheadPages';
import { measureRun } from './overheadRun';
import { overheadRows, type PageSamples } from './overheadRows';
import { buildRawRecord, startOverheadSite, type RecorderMode } from './overheadSite';
import { forMinutes } from './overheadWorkload';
import { startPeerSink } from './peerSink';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import type { Row } from './stats';

const MODES: RecorderMode[] = ['none', 'rrweb', 'ours'];
const PEER_MODES: RecorderMode[] = [...MODES, 'sentry', 'posthog'];
const PROFILED_MODES = ['rrweb', 'ours'] as const;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** Length of the JSON of every event the server stored for `sessionId` (read API, NDJSON). */
async function storedJsonBytes(serverUrl: string, sessionId: string): Promise<number> {
  const response = await fetch(`${serverUrl}/api/sessions/${sessionId}/events`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) throw new Error(`events of ${sessionId}: ${response.status}`);
  const lines = (await response.text()).split('\n').filter(Boolean);
  return lines.reduce((sum, line) => sum + Buffer.byteLength(JSON.stringify((JSON.parse(line) as { events: unknown[] }).events)), 0);
}

/**
 * `runs` rounds on every page; with `minutes`, each workload repeats until it lasted that long,
 * so the wire figures are of a recording in its steady state; `pageFilter` keeps the pages whose
 * name contains it.
 */
export async function benchRecorderOverhead(runs: number, quick: boolean, minutes = 0, pageFilter = ''): Promise<Row[]> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
  await buildRawRecord();
  const server = await spawnBenchServer(['real'], ADMIN_TOKEN);
  const serverUrl = `http://127.0.0.1:${server.port}`;
  const sink = await startPeerSink();
  const site = await startOverheadSite(serverUrl, sink.url);
  const browser = await launchBrowser();
  const results: PageSamples[] = [];
  const scale = quick ? 0.4 : 1;
  try {
    // Uncounted: the first run also pays for the server's and the browser's first start.
    await measureRun(browser, site.url + PAGES[0].path, 'ours', PAGES[0].readySelector, (p) => PAGES[0].workload(p, scale));
    for (const page of PAGES.filter((p) => p.name.includes(pageFilter))) {
      const result: PageSamples = {
        page: page.name,
        samples: { none: [], rrweb: [], ours: [], sentry: [], posthog: [] },
        rawBytes: [],
        profiledMs: { rrweb: [], ours: [] },
      };
      const modes = page.peers ? PEER_MODES : MODES;
      for (let run = 0; run < runs; run++) {
        for (let i = 0; i < modes.length; i++) {
          const mode = modes[(run + i) % modes.length];
          const workload = minutes > 0 ? forMinutes(page.workload, minutes) : page.workload;
          const sample = await measureRun(browser, site.url + page.path, mode, page.readySelector, (p) => workload(p, scale), sink);
          result.samples[mode].push(sample);
          if (sample.sessionId) result.rawBytes.push(await storedJsonBytes(serverUrl, sample.sessionId));
        }
      }
      // Then the recorders alone under the profiler, taking turns: their own time (recorderSamples.ts).
      for (let run = 0; run < runs; run++) {
        for (const mode of run % 2 ? PROFILED_MODES : [...PROFILED_MODES].reverse()) {
          const sample = await measureRun(browser, site.url + page.path, mode, page.readySelector, (p) => page.workload(p, scale), undefined, true);
          result.profiledMs[mode].push(sample.recorderMs ?? NaN);
        }
      }
      results.push(result);
    }
  } finally {
    await browser.close();
    await site.close();
    await sink.close();
    await stopBenchServer(server);
  }
  return overheadRows(results, runs, minutes);
}
