/** Pure formatting helpers for lengths, dates and users. */

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A session length: `1 h 02 min`, `3 min 05 s`, `12.3 s`, `0 s`.
 * Truncates rather than rounds, so a length never reads longer than it is.
 */
export function formatDuration(ms: number): string {
  const safeMs = Math.max(0, ms);
  if (safeMs >= HOUR_MS) {
    return `${Math.floor(safeMs / HOUR_MS)} h ${pad2(Math.floor((safeMs % HOUR_MS) / MINUTE_MS))} min`;
  }
  if (safeMs >= MINUTE_MS) {
    return `${Math.floor(safeMs / MINUTE_MS)} min ${pad2(Math.floor((safeMs % MINUTE_MS) / SECOND_MS))} s`;
  }
  return `${Math.floor(safeMs / 100) / 10} s`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO 8601 instant in the viewer's locale and time zone, e.g. `23 Nov 2025, 11:58`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** Characters of an anonymous device id shown to tell devices apart. */
const DEVICE_LABEL_CHARS = 8;

/**
 * The identified user, else the end of the anonymous device id: a UUIDv7 begins with its
 * creation time, so devices created within the same minute share their first characters,
 * while its tail is random.
 */
export function formatUser(userId: string | null, deviceId: string): string {
  return userId ?? `device ${deviceId.slice(-DEVICE_LABEL_CHARS)}`;
}

/** A URL without its scheme, which every row would otherwise repeat. */
export function formatUrl(url: string | null): string {
  return url ? url.replace(/^https?:\/\//, '') : '—';
}

/** A count with the viewer's digit grouping. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** A playhead position: `0:07`, `12:34`, `1:02:03`. */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / SECOND_MS);
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** A duration in its largest whole unit, for chart axes: `45 s`, `12 min`, `3 h`. */
export function formatDurationShort(ms: number): string {
  if (ms >= HOUR_MS) return `${Math.round((ms / HOUR_MS) * 10) / 10} h`;
  if (ms >= MINUTE_MS) return `${Math.round(ms / MINUTE_MS)} min`;
  return `${Math.round(ms / SECOND_MS)} s`;
}

/** A share from 0..1 as a whole percentage. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A calendar day (`YYYY-MM-DD`) as `23 Nov`; the day is already in the viewer's zone. */
export function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : dayFormat.format(date);
}
