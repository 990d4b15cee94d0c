/**
 * Where a server's main thread spends its time, from a V8 `.cpuprofile` (node --cpu-prof):
 * each sample goes to the innermost frame of its stack that names a known cost.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The cost a frame stands for, if it names one. Pure. */
export function costOf(frame: { functionName: string; url: string }): string | null {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'GC';
  if (name === 'parse' && url === '') return 'JSON.parse';
  if (name === 'stringify' && url === '') return 'JSON.stringify';
  if (/\/zod\//.test(url)) return 'zod validation';
  if (/summarizeBatch/.test(url)) return 'batch summary';
  // The group commit's own time is BEGIN and COMMIT (the WAL written, checkpoints); its fsync
  // runs on the thread pool (walSync), whose hand-off is counted apart.
  if (/\/server\/storage\/sqlite\/groupCommit/.test(url)) return 'SQLite commit';
  if (/\/server\/storage\/sqlite\/walSync/.test(url)) return 'WAL fsync hand-off';
  // Native calls (statement runs) count as their caller's own time.
  if (/better-sqlite3|\/server\/storage\//.test(url)) return 'SQLite statements';
  if (/\/server\/(routes\/ingest|ingest\/acceptBatch)/.test(url)) return 'ingest route (JSON.parse inlined)';
  if (/node:internal\/modules|\/tsx\//.test(url)) return 'startup (module loading)';
  if (/zlib/.test(url)) return 'zlib (inflate/gzip)';
  if (/readBody/.test(url)) return 'reading the body';
  if (/\/(pino|sonic-boom)\/|\/server\/operating\/logger/.test(url)) return 'request log';
  if (/\/prom-client\/|\/server\/operating\/measureRequests/.test(url)) return 'metrics';
  if (/\/server\/checking\//.test(url)) return 'chunk checker (main thread side)';
  if (/\/server\/ingest\/|batchEnvelope/.test(url)) return 'envelope head';
  if (/\/server\//.test(url)) return 'other server code';
  if (/\/(express|router|body-parser|send|finalhandler|on-finished|raw-body)\//.test(url)) return 'Express';
  if (/^node:(_http|http|net|stream|internal\/streams|internal\/http)/.test(url)) return 'Node HTTP and streams';
  return null;
}

/** Milliseconds per cost over the whole profile, and the profile's length. */
export function summarizeProfile(file: string): { totalMs: number; byCost: Map<string, number> } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const costCache = new Map<number, string>();
  const costAt = (id: number): string => {
    const cached = costCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const own = costOf(node.callFrame);
    const up = parent.get(id);
    const cost = own ?? (up === undefined ? (node.callFrame.functionName || 'other') : costAt(up));
    costCache.set(id, cost);
    return cost;
  };
  const byCost = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const cost = costAt(id);
    const name = cost === '(root)' || cost === '(program)' ? 'other (program, native)' : cost;
    byCost.set(name, (byCost.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return { totalMs: (profile.endTime - profile.startTime) / 1000, byCost };
}
