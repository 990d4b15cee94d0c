/** The share-link calls of the read API. */
import type { CreatedShare, ShareLink } from '../../../shared/api';
import { toError } from '../api';

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  if (!res.ok) throw await toError(res);
  return res;
}

const sharesUrl = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/shares`;

/** A session's share links, newest first. */
export async function listShares(sessionId: string): Promise<ShareLink[]> {
  return ((await (await call(sharesUrl(sessionId))).json()) as { shares: ShareLink[] }).shares;
}

/** A new link to the session, working for `expiresInHours`. */
export async function createShare(sessionId: string, expiresInHours: number): Promise<CreatedShare> {
  const res = await call(sharesUrl(sessionId), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ expiresInHours }),
  });
  return (await res.json()) as CreatedShare;
}

/** Revokes a link at once. */
export async function revokeShare(shareId: string): Promise<void> {
  await call(`/api/shares/${encodeURIComponent(shareId)}`, { method: 'DELETE' });
}
