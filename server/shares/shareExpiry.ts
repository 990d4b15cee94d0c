/** How long a share link lives: pure rules, the time passed in. */

/** A link lives 7 days unless asked otherwise. */
export const SHARE_DEFAULT_HOURS = 168;
/** At most a year. */
export const SHARE_MAX_HOURS = 8_760;
const HOUR_MS = 3_600_000;

/** When a link made at `now` for `hours` stops working. */
export function shareExpiresAt(now: number, hours: number): number {
  return now + hours * HOUR_MS;
}

/** Whether a link expiring at `expiresAt` still works at `now`. */
export function isShareLive(expiresAt: number, now: number): boolean {
  return now < expiresAt;
}
