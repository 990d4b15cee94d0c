import type { EventChunk, SessionPage, SessionSummary } from '../../shared/api';

/** Page size of the sessions table. */
export const SESSIONS_PAGE_SIZE = 50;

/** Turns a non-2xx answer into an Error carrying the server's `{ error: { message } }`. */
async function toError(res: Response): Promise<Error> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return new Error(body.error.message);
  } catch {
    // Not JSON (a proxy's HTML page, say): the status line is all there is.
  }
  return new Error(`${res.status} ${res.statusText}`.trim());
}

async function request(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw await toError(res);
  return res;
}

async function getJson<T>(url: string): Promise<T> {
  return (await (await request(url)).json()) as T;
}

/** One page of sessions, longest first; pass the previous page's `nextCursor` to continue. */
export function fetchSessions(cursor: string | null = null): Promise<SessionPage> {
  const query = new URLSearchParams({ sort: 'length', order: 'desc', limit: String(SESSIONS_PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  return getJson<SessionPage>(`/api/sessions?${query}`);
}

/** One session's summary. */
export function fetchSession(id: string): Promise<SessionSummary> {
  return getJson<SessionSummary>(`/api/sessions/${encodeURIComponent(id)}`);
}

/** Every stored chunk of a session, read from the NDJSON stream line by line. */
export async function fetchEvents(id: string): Promise<EventChunk[]> {
  const res = await request(`/api/sessions/${encodeURIComponent(id)}/events`);
  if (!res.body) return [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const chunks: EventChunk[] = [];
  const parseLine = (line: string): void => {
    if (line.trim()) chunks.push(JSON.parse(line) as EventChunk);
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
  return chunks;
}
