/**
 * Where a recorder's main-thread time goes on one overhead page: `npx tsx bench/profileRecorder.ts
 * [react|react-compiled|vanilla|heavy|large] [ours|rrweb] [runs]`. The snippet is built unminified, so its
 * functions keep their names; the page and workload are the overhead benchmark's; the CDP profiler
 * samples the page from navigation to the final flush. Prints self time by function (ours and
 * rrweb's alike), the long tasks, and each native frame's callers.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchBrowser } from '../test/helpers/browser';
import { OVERHEAD_PAGES } from './overheadPages';
import { buildRawRecord, startOverheadSite, type RecorderMode } from './overheadSite';
import { isRecorderScript } from './recorderSamples';
import { spawnBenchServer, stopBenchServer } from './spawnServer';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A recorder's script or the page's own (inline scripts carry the page's URL). */
const recorderOrPage = (url: string) => isRecorderScript(url) || url.includes('.html');

const [name = 'large', mode = 'ours', runsArg = '1'] = process.argv.slice(2);
const target = OVERHEAD_PAGES.find((page) => page.key === name);
if (!target) throw new Error(`unknown page ${name}: one of ${OVERHEAD_PAGES.map((page) => page.key).join(', ')}`);

await build({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  mode: 'recorder',
  logLevel: 'silent',
  build: { minify: false, rollupOptions: { output: { minify: false } } },
});
await buildRawRecord();
const server = await spawnBenchServer(['real']);
const site = await startOverheadSite(`http://127.0.0.1:${server.port}`);
const browser = await launchBrowser();
const self = new Map<string, number>();
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n');
const callers = new Map<string, number>();
try {
  for (let run = 0; run < Number(runsArg); run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(`window.__lt=[];new PerformanceObserver((l)=>{for(const e of l.getEntries())window.__lt.push(Math.round(e.duration))}).observe({type:'longtask',buffered:true});`);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') console.log(`  console ${message.type()}: ${message.text().slice(0, 300)}`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const url = new URL(site.url + target.path);
    url.searchParams.set('recorder', mode as RecorderMode);
    await page.goto(url.href, { waitUntil: 'load' });
    await page.waitForSelector(target.readySelector);
    if (mode === 'ours') await page.waitForFunction(() => (window as unknown as { SessionReplay?: { getSessionId(): string | null } }).SessionReplay?.getSessionId());
    await target.workload(page, 1);
    await page.evaluate(() => (window as unknown as { SessionReplay?: { flush(): Promise<void> } }).SessionReplay?.flush());
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    console.log(`run ${run}: long tasks`, await page.evaluate(() => (window as unknown as { __lt: number[] }).__lt));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    // Stretches of busy samples over 50 ms: the long tasks, with what filled them.
    let stretch = new Map<string, number>();
    let stretchMs = 0;
    let at = 0;
    const endStretch = () => {
      if (stretchMs > 50) console.log(`  busy ${stretchMs.toFixed(0)} ms at ${(at / 1000).toFixed(2)} s: ${top(stretch, 5).replace(/\n/g, ' |')}`);
      stretch = new Map();
      stretchMs = 0;
    };
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      at += profile.timeDeltas[i] ?? 0;
      const node = byId.get(id)!;
      if (node.callFrame.functionName === '(idle)') return endStretch();
      let owner = label(node);
      for (let up = id; parent.has(up); up = parent.get(up)!) {
        const p = byId.get(parent.get(up)!)!;
        if (recorderOrPage(p.callFrame.url) && !recorderOrPage(node.callFrame.url)) {
          owner = `${label(node)} < ${label(p)}`;
          break;
        }
      }
      stretch.set(owner, (stretch.get(owner) ?? 0) + ms);
      stretchMs += ms;
      if (node.callFrame.functionName === '(program)') return;
      self.set(label(node), (self.get(label(node)) ?? 0) + ms);
      // The first frame of recorder.js or raw-record.js above this one: who pays for it.
      let up = id;
      let chain = '';
      while (parent.has(up)) {
        const p = byId.get(parent.get(up)!)!;
        if (isRecorderScript(p.callFrame.url)) {
          chain = label(p);
          break;
        }
        up = p.id;
      }
      if (isRecorderScript(node.callFrame.url)) chain = label(node);
      if (chain) callers.set(chain, (callers.get(chain) ?? 0) + ms);
    });
    endStretch();
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
  await stopBenchServer(server);
}
console.log('\n# self time, all frames\n' + top(self, 30));
console.log('\n# time by innermost recorder frame (self + natives it called)\n' + top(callers, 45));
