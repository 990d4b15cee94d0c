/** Which live share link a token stands for, if any. */
import type { ShareRecord, ShareStore } from '../storage/queries/shares';
import { isShareLive } from './shareExpiry';
import { parseShareToken, shareSecretMatches } from './shareToken';

/** The link `token` opens at `now`: well-formed, stored (not revoked), its secret right, not expired; else null. */
export async function resolveShare(shares: ShareStore, token: unknown, now: number): Promise<ShareRecord | null> {
  const parsed = parseShareToken(token);
  if (!parsed) return null;
  const share = await shares.findShare(parsed.id);
  if (!share || !shareSecretMatches(parsed.secret, share.secretHash)) return null;
  return isShareLive(share.expiresAt, now) ? share : null;
}
