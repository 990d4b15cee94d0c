/** `?t=SECONDS` (and `&window=ID` for another tab) links into a replay. Pure. */

/** Where a replay link points. */
export interface Moment {
  /** Offset into the window's recording; null when the link has none. */
  ms: number | null;
  windowId: string | null;
}

/** Reads the moment a replay link points at. */
export function parseMoment(search: string): Moment {
  const q = new URLSearchParams(search);
  const t = q.get('t');
  const seconds = t === null || t.trim() === '' ? NaN : Number(t);
  return {
    ms: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1_000) : null,
    windowId: q.get('window') || null,
  };
}

/** A link that opens `sessionId` at `ms`, to a tenth of a second; the window only when not the first. */
export function momentLink(origin: string, sessionId: string, ms: number, windowId: string | null): string {
  const q = new URLSearchParams({ t: (Math.max(0, Math.floor(ms / 100)) / 10).toString() });
  if (windowId) q.set('window', windowId);
  return `${origin}/sessions/${encodeURIComponent(sessionId)}?${q}`;
}
