/**
 * A recorder's own main-thread time from a CDP CPU profile of the page (pure). A sample is the
 * recorder's when the innermost frame that belongs to a script (a native such as JSON.stringify,
 * postMessage or a DOM getter has none) is in one of the recorder's scripts: natives count as
 * their caller's, and the page's own code stays the page's even when a recorder's wrapper calls
 * it. Garbage collection, compilation outside a function and idle time belong to nobody. Unlike
 * the difference of two runs' total script time, this leaves out the page's own work, which on
 * the TodoMVC React example (its JSX compiled in the browser) varies from run to run by more
 * than a recorder costs.
 */

/** Whether a script URL is a recorder's: raw rrweb's bench build, or our snippet and its chunks. */
export function isRecorderScript(url: string): boolean {
  return /\/bench\/raw-record\.js|\/recorder\.js|\/chunks\/[\w-]+\.js/.test(url);
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples: number[];
  /** Microseconds before each sample; a sample lasts until the next one. */
  timeDeltas: number[];
}

/** Milliseconds of `profile` spent in scripts whose URL `isRecorder` accepts (see above). */
export function recorderMs(profile: CpuProfile, isRecorder: (url: string) => boolean): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owned = new Map<number, boolean>();
  const isOwned = (id: number): boolean => {
    const known = owned.get(id);
    if (known !== undefined) return known;
    const url = byId.get(id)?.callFrame.url ?? '';
    const up = parent.get(id);
    const mine = url ? isRecorder(url) : up !== undefined && isOwned(up);
    owned.set(id, mine);
    return mine;
  };
  let micros = 0;
  profile.samples.forEach((id, i) => {
    if (isOwned(id)) micros += profile.timeDeltas[i + 1] ?? 0;
  });
  return micros / 1000;
}
