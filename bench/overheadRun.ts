/**
 * One measured run of the overhead benchmark: a fresh browser context (empty storage) loads a
 * page with one recorder mode, the workload runs, and the Chrome DevTools Protocol reports the
 * page's main-thread script and task time and its heap; long tasks come from a
 * PerformanceObserver set before the page's own scripts. With our snippet, every batch is
 * flushed and acknowledged before the figures are read, and the request bodies of ingest and
 * of the asset capture (its question which assets the server lacks, the server fetches and
 * uploads) are counted as the browser sent them: a snapshot's stylesheet may go as its address
 * only because the capture stored it. (The bench's uncounted first run uploads the TodoMVC
 * stylesheets: an upload is once per site and content, for every later session of every user.) With a peer (Sentry, posthog), its replay request bodies
 * are counted as they reached bench/peerSink.ts, once the peer has sent nothing for a while.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { RecorderMode } from './overheadSite';
import type { PeerSink } from './peerSink';
import { isRecorderScript, recorderMs, type CpuProfile } from './recorderSamples';

export interface RunSample {
  scriptMs: number;
  taskMs: number;
  heapBytes: number;
  /** The workload alone, on the bench's clock. */
  workloadMs: number;
  /** Page time from navigation to the end of the workload: the recorded duration. */
  pageMs: number;
  longTasksMs: number[];
  /** Request bodies of ingest and of the asset capture: size and page time of each. */
  posts: { atMs: number; bytes: number }[];
  /** Our snippet's session, to read back what the server stored. */
  sessionId: string | null;
  /** In a profiled run: the recorder's own main-thread time (recorderSamples.ts). */
  recorderMs?: number;
}

const OBSERVE_LONG_TASKS = `
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__benchLongTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
`;

/**
 * Lays the page out once its DOM is parsed, before its deferred scripts (the recorders) run: a
 * recorder's first snapshot otherwise forces the page's first layout (half a second on the
 * large page), which the profiler puts in the recorder's frames in some runs and in none in
 * others. Profiled runs only: the timed runs stay as a site sees them.
 */
const LAY_OUT_BEFORE_RECORDERS = `
  document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') document.documentElement.getBoundingClientRect();
  });
`;

/** Longer than the peers' own flush delays (Sentry 5.5 s, posthog 2 s buffer + 3 s queue). */
const PEER_QUIET_MS = 7000;

interface BenchWindow {
  __benchLongTasks: number[];
  __benchFlush?: () => Promise<void>;
  SessionReplay?: { flush(): Promise<void>; getSessionId(): string | null };
}

async function metrics(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return new Map(list.map((m) => [m.name, m.value]));
}

/** A peer's replay requests of this run: what it sent up to when it has been quiet for PEER_QUIET_MS. */
async function peerPosts(page: Page, sink: PeerSink, navigatedAt: number): Promise<RunSample['posts']> {
  await page.evaluate(() => (window as unknown as BenchWindow).__benchFlush?.());
  const received: RunSample['posts'] = [];
  let lastAt = Date.now();
  while (Date.now() - lastAt < PEER_QUIET_MS) {
    await page.waitForTimeout(250);
    for (const post of sink.take()) {
      received.push({ atMs: post.at - navigatedAt, bytes: post.bytes });
      lastAt = Date.now();
    }
  }
  return received;
}

/**
 * Runs `workload` on `url` (its `?recorder=` set to `mode`) once `readySelector` is there. With
 * `profiled`, the CDP profiler samples the page throughout (which slows it: such a run's
 * other figures are not comparable) to tell the recorder's own time apart.
 */
export async function measureRun(
  browser: Browser,
  url: string,
  mode: RecorderMode,
  readySelector: string,
  workload: (page: Page) => Promise<void>,
  sink?: PeerSink,
  profiled = false,
): Promise<RunSample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(OBSERVE_LONG_TASKS);
    if (profiled) await context.addInitScript(LAY_OUT_BEFORE_RECORDERS);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (profiled) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const before = await metrics(cdp);
    const posts: RunSample['posts'] = [];
    let navigatedAt = Date.now();
    page.on('request', (request) => {
      if (!['POST', 'PUT'].includes(request.method()) || !/\/api\/(ingest|assets\/)/.test(request.url())) return;
      posts.push({ atMs: Date.now() - navigatedAt, bytes: request.postDataBuffer()?.length ?? 0 });
    });
    sink?.take();
    const target = new URL(url);
    target.searchParams.set('recorder', mode);
    navigatedAt = Date.now();
    await page.goto(target.href, { waitUntil: 'load' });
    await page.waitForSelector(readySelector);
    if (mode === 'ours') await page.waitForFunction(() => (window as unknown as BenchWindow).SessionReplay?.getSessionId());
    const started = Date.now();
    await workload(page);
    const workloadMs = Date.now() - started;
    const pageMs = await page.evaluate(() => performance.now());
    const sessionId = await page.evaluate(async () => {
      const replay = (window as unknown as BenchWindow).SessionReplay;
      if (!replay) return null;
      await replay.flush();
      return replay.getSessionId();
    });
    if (sink && (mode === 'sentry' || mode === 'posthog')) posts.push(...(await peerPosts(page, sink, navigatedAt)));
    const after = await metrics(cdp);
    const profile = profiled ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : null;
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    // The heap that stays: what the recorder holds, not garbage it has not yet collected.
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await metrics(cdp);
    return {
      scriptMs: delta('ScriptDuration') * 1000,
      taskMs: delta('TaskDuration') * 1000,
      heapBytes: heap.get('JSHeapUsedSize') ?? 0,
      workloadMs,
      pageMs,
      longTasksMs: await page.evaluate(() => (window as unknown as BenchWindow).__benchLongTasks),
      posts,
      sessionId,
      ...(profile ? { recorderMs: recorderMs(profile, isRecorderScript) } : {}),
    };
  } finally {
    await context.close();
  }
}
