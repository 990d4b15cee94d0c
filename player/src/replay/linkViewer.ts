/** Whether whoever sees a replay came through a share link rather than signed in as the admin. */
import { AuthError } from '../api';
import { listShares } from './shareApi';

const asked = new Map<string, Promise<boolean>>();

/**
 * True for a share link's viewer: the read API refuses them the session's list of links (and
 * everything beyond this one session). Asked once per session and page.
 */
export function isLinkViewer(sessionId: string): Promise<boolean> {
  let answer = asked.get(sessionId);
  if (!answer) {
    answer = listShares(sessionId).then(
      () => false,
      (error: unknown) => error instanceof AuthError,
    );
    asked.set(sessionId, answer);
  }
  return answer;
}
