/** The overhead benchmark's table rows, from the samples of every run (pure). */
import type { RecorderMode } from './overheadSite';
import type { RunSample } from './overheadRun';
import { median, type Row } from './stats';

export interface PageSamples {
  page: string;
  samples: Record<RecorderMode, RunSample[]>;
  /** Per run of our snippet, in order: the JSON length of the events the server stored. */
  rawBytes: number[];
  /** Per profiled run, in rounds: the recorder's own main-thread time (recorderSamples.ts). */
  profiledMs: { rrweb: number[]; ours: number[] };
}

type Peer = 'sentry' | 'posthog';
const PEERS: Peer[] = ['sentry', 'posthog'];

const MODE_NAMES: Record<RecorderMode, string> = { none: 'no recorder', rrweb: 'raw rrweb', ours: 'our snippet', sentry: 'Sentry replay', posthog: 'posthog-js' };
const KB = 1024;

function range(values: readonly number[], digits = 0): string {
  return values.length ? `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}` : '';
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

const wireBytes = (s: RunSample) => sum(s.posts.map((p) => p.bytes));
const kbPerMinute = (s: RunSample) => wireBytes(s) / KB / (s.pageMs / 60_000);

/** After the first batch (which holds the full snapshot): the rate of a recording under way. */
function steadyKbPerMinute(s: RunSample): number {
  const posts = [...s.posts].sort((a, b) => a.atMs - b.atMs);
  if (posts.length < 2) return NaN;
  return sum(posts.slice(1).map((p) => p.bytes)) / KB / ((posts[posts.length - 1].atMs - posts[0].atMs) / 60_000);
}

function modeRow(page: string, mode: RecorderMode, samples: readonly RunSample[]): Row {
  const script = samples.map((s) => s.scriptMs);
  const longTasks = samples.map((s) => s.longTasksMs.length);
  const longest = Math.max(0, ...samples.flatMap((s) => s.longTasksMs));
  return {
    figure: `overhead, ${page}: ${MODE_NAMES[mode]}, main-thread script time`,
    median: `${median(script).toFixed(0)} ms`,
    range: range(script),
    detail:
      `all tasks ${median(samples.map((s) => s.taskMs)).toFixed(0)} ms, workload ${(median(samples.map((s) => s.workloadMs)) / 1000).toFixed(1)} s, ` +
      `heap ${(median(samples.map((s) => s.heapBytes)) / KB / KB).toFixed(1)} MB, long tasks ${median(longTasks)} (${range(longTasks)}, longest ${longest.toFixed(0)} ms)`,
  };
}

/**
 * The goal against the peers: our wire bytes for the whole session ÷ the fewer of Sentry's and
 * posthog's (medians); the range is of each round's own ratio.
 */
function peerRows(page: string, samples: PageSamples['samples']): Row[] {
  const wire = (list: readonly RunSample[]) => median(list.map(wireBytes));
  const script = (list: readonly RunSample[]) => median(list.map((s) => s.scriptMs));
  const best = Math.min(...PEERS.map((peer) => wire(samples[peer])));
  const perRound = samples.ours.map((s, i) => wireBytes(s) / Math.min(...PEERS.map((peer) => wireBytes(samples[peer][i]))));
  const peerDetail = PEERS.map(
    (peer) =>
      `${MODE_NAMES[peer]} ${(wire(samples[peer]) / KB).toFixed(1)} KB in ${median(samples[peer].map((s) => s.posts.length))} requests, ` +
      `script time added ${(script(samples[peer]) - script(samples.none)).toFixed(0)} ms`,
  );
  return [
    ...PEERS.map((peer) => modeRow(page, peer, samples[peer])),
    {
      figure: `overhead, ${page}: wire bytes of the whole session, ours ÷ the best of Sentry replay and posthog-js`,
      goal: '≤ 0.5×',
      median: `${(wire(samples.ours) / best).toFixed(2)}×`,
      range: range(perRound, 2),
      detail: `ours ${(wire(samples.ours) / KB).toFixed(1)} KB; ${peerDetail.join('; ')}; raw rrweb script time added ${(script(samples.rrweb) - script(samples.none)).toFixed(0)} ms`,
    },
  ];
}

/** Rows for one page: each mode, then our figures against raw rrweb's (and the peers', where they ran). */
function pageRows({ page, samples, rawBytes, profiledMs }: PageSamples, runs: number): Row[] {
  const { none, rrweb, ours } = samples;
  const task = (list: readonly RunSample[]) => median(list.map((s) => s.taskMs));
  const script = (list: readonly RunSample[]) => median(list.map((s) => s.scriptMs));
  // Script time: all tasks also hold layout and paint of the page's own updates, which vary
  // from run to run far more than a recorder's cost.
  const oursAdded = script(ours) - script(none);
  const rrwebAdded = script(rrweb) - script(none);
  // Runs of one round ran back to back, so each round gives its own ratio.
  const perRound = none.map((n, i) => (ours[i].scriptMs - n.scriptMs) / (rrweb[i].scriptMs - n.scriptMs));
  const longTasks = (list: readonly RunSample[]) => median(list.map((s) => s.longTasksMs.length));
  const longest = (list: readonly RunSample[]) => Math.max(0, ...list.flatMap((s) => s.longTasksMs)).toFixed(0);
  const longTaskMs = (list: readonly RunSample[]) => median(list.map((s) => sum(s.longTasksMs))).toFixed(0);
  const kbMin = ours.map(kbPerMinute);
  const steady = ours.map(steadyKbPerMinute);
  const requestsPerMinute = ours.map((s) => s.posts.length / (s.pageMs / 60_000));
  const ratios = ours.map((s, i) => rawBytes[i] / wireBytes(s));
  return [
    ...(['none', 'rrweb', 'ours'] as const).map((mode) => modeRow(page, mode, samples[mode])),
    {
      figure: `overhead, ${page}: main-thread script time added, ours ÷ raw rrweb`,
      goal: '≤ 1.1×',
      median: `${(oursAdded / rrwebAdded).toFixed(2)}×`,
      range: range(perRound, 2),
      detail: `script time added: ours ${oursAdded.toFixed(0)} ms, rrweb ${rrwebAdded.toFixed(0)} ms; all tasks: ours ${(task(ours) - task(none)).toFixed(0)} ms, rrweb ${(task(rrweb) - task(none)).toFixed(0)} ms; ${runs} rounds`,
    },
    {
      figure: `overhead, ${page}: the recorder's own main-thread time (CPU profile), ours ÷ raw rrweb`,
      goal: '≤ 1.1×',
      median: `${(median(profiledMs.ours) / median(profiledMs.rrweb)).toFixed(2)}×`,
      range: range(profiledMs.ours.map((ms, i) => ms / profiledMs.rrweb[i]), 2),
      detail:
        `ours ${median(profiledMs.ours).toFixed(0)} ms (${range(profiledMs.ours)}), rrweb ${median(profiledMs.rrweb).toFixed(0)} ms (${range(profiledMs.rrweb)}): ` +
        `time in the recorder's scripts and the natives they called, garbage collection apart; ${profiledMs.ours.length} profiled runs each, not the timed ones`,
    },
    {
      figure: `overhead, ${page}: long tasks (> 50 ms) ours causes beyond raw rrweb`,
      goal: 'none',
      median: `${Math.max(0, longTasks(ours) - longTasks(rrweb))}`,
      range: '',
      detail:
        `median per run: ours ${longTasks(ours)} (${longTaskMs(ours)} ms in all, longest of any run ${longest(ours)} ms), ` +
        `rrweb ${longTasks(rrweb)} (${longTaskMs(rrweb)} ms, ${longest(rrweb)} ms), no recorder ${longTasks(none)} (${longTaskMs(none)} ms, ${longest(none)} ms)`,
    },
    {
      figure: `overhead, ${page}: our snippet, wire KB per recorded minute`,
      median: `${median(kbMin).toFixed(1)} KB/min`,
      range: range(kbMin, 1),
      detail:
        `${median(requestsPerMinute).toFixed(1)} requests/min, ${(median(ours.map(wireBytes)) / KB).toFixed(1)} KB over ${(median(ours.map((s) => s.pageMs)) / 1000).toFixed(1)} s of page time ` +
        `(full snapshot included); after the first batch ${median(steady).toFixed(1)} KB/min`,
    },
    {
      figure: `overhead, ${page}: raw event JSON ÷ wire bytes`,
      median: `${median(ratios).toFixed(1)}×`,
      range: range(ratios, 1),
      detail: `${(median(rawBytes) / KB).toFixed(0)} KB of event JSON stored, ${(median(ours.map(wireBytes)) / KB).toFixed(1)} KB of request bodies`,
    },
    ...(samples.sentry.length ? peerRows(page, samples) : []),
  ];
}

/** What the workloads' length says about the wire figures: `minutes` is the bench's `--minutes` (0 when not given). */
function workloadLength(pageSeconds: number, minutes: number): string {
  if (minutes > 0) return `each workload repeated for ${minutes} min (${pageSeconds.toFixed(0)} s of page time at most), full snapshot included`;
  return `each workload lasts under a minute (${pageSeconds.toFixed(0)} s at most), so no minute without the full snapshot exists to report apart`;
}

export function overheadRows(pages: readonly PageSamples[], runs: number, minutes = 0): Row[] {
  const kbMin = pages.map((p) => median(p.samples.ours.map(kbPerMinute)));
  const steady = pages.map((p) => median(p.samples.ours.map(steadyKbPerMinute)));
  const pageSeconds = Math.max(...pages.map((p) => median(p.samples.ours.map((s) => s.pageMs)))) / 1000;
  return [
    ...pages.flatMap((p) => pageRows(p, runs)),
    {
      figure: 'overhead: our snippet, wire KB per recorded minute, median over the pages',
      goal: '≤ 60 KB/min',
      median: `${median(kbMin).toFixed(1)} KB/min`,
      range: range(kbMin, 1),
      detail:
        `${workloadLength(pageSeconds, minutes)}; ` +
        `after the first batch: ${median(steady).toFixed(1)} KB/min (${range(steady, 1)})`,
    },
  ];
}
