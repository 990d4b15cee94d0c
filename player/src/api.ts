import type { EventChunk, SessionPage, SessionSort, SessionStats, SessionSummary, StatsBuckets } from '../../shared/api';

/** Page size of the sessions table. */
export const SESSIONS_PAGE_SIZE = 50;

/** The read API answered 401: the viewer has to sign in first. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** Turns a non-2xx answer into an Error carrying the server's `{ error: { message } }`. */
export async function toError(res: Response): Promise<Error> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status line is all there is.
  }
  return res.status === 401 ? new AuthError(message) : new Error(message);
}

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw await toError(res);
  return res;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

/** One page of sessions matching `filters` in the given order; `cursor` continues a listing. */
export function fetchSessions(
  filters: URLSearchParams,
  sort: { sort: SessionSort; order: 'asc' | 'desc' },
  cursor: string | null,
  signal?: AbortSignal,
): Promise<SessionPage> {
  const query = new URLSearchParams(filters);
  query.set('sort', sort.sort);
  query.set('order', sort.order);
  query.set('limit', String(SESSIONS_PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  return getJson<SessionPage>(`/api/sessions?${query}`, signal);
}

/** Whether the server holds any session at all, whatever the filters. */
export async function hasAnySession(signal?: AbortSignal): Promise<boolean> {
  return (await getJson<SessionPage>('/api/sessions?limit=1', signal)).total > 0;
}

/** Statistics of the sessions matching `filters`, days counted in the viewer's time zone. */
export function fetchStats(filters: URLSearchParams, buckets: StatsBuckets, signal?: AbortSignal): Promise<SessionStats> {
  const query = new URLSearchParams(filters);
  query.set('buckets', buckets);
  query.set('tz', Intl.DateTimeFormat().resolvedOptions().timeZone);
  return getJson<SessionStats>(`/api/stats?${query}`, signal);
}

/** One session's summary. */
export function fetchSession(id: string): Promise<SessionSummary> {
  return getJson<SessionSummary>(`/api/sessions/${encodeURIComponent(id)}`);
}

/**
 * Reads a session's NDJSON event stream, handing each stored chunk to `onChunk` as soon as
 * its line is complete, so the replay can start before a long recording has arrived.
 */
export async function streamEvents(id: string, onChunk: (chunk: EventChunk) => void): Promise<void> {
  const res = await request(`/api/sessions/${encodeURIComponent(id)}/events`);
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parseLine = (line: string): void => {
    if (line.trim()) onChunk(JSON.parse(line) as EventChunk);
  };
  let pending = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = (pending + value).split('\n');
    // The last piece may be a line cut in half by the network; keep it for the next read.
    pending = lines.pop() ?? '';
    lines.forEach(parseLine);
  }
  parseLine(pending);
}
