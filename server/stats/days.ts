/** Calendar days in an IANA time zone, for the per-day statistics. */
import type { DayStats } from '../../shared/api';
import type { SlotTotal } from '../../shared/lengthSource';

/** Longest run of days one answer lists, so a range from 1970 cannot make a huge answer. */
const MAX_DAYS = 3_660;

/** Whether `tz` names a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Maps times to their YYYY-MM-DD day in `tz`. */
export function dayFormatter(tz: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/** The calendar day after `day` (YYYY-MM-DD); calendar arithmetic, no time zone involved. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Sessions, summed and average length per day in `tz`, one entry for every day from `from`'s
 * day to the day before `to` (zero-filled), or from the first to the last day with sessions.
 */
export function perDay(slots: readonly SlotTotal[], tz: string, range: { from?: number; to?: number }): DayStats[] {
  const dayOf = dayFormatter(tz);
  const days = new Map<string, { sessions: number; totalMs: number }>();
  for (const { slot, sessions, totalMs } of slots) {
    const day = dayOf(slot);
    const total = days.get(day) ?? { sessions: 0, totalMs: 0 };
    total.sessions += sessions;
    total.totalMs += totalMs;
    days.set(day, total);
  }
  const withData = [...days.keys()].sort();
  let first = range.from !== undefined ? dayOf(range.from) : withData[0];
  const last = range.to !== undefined ? dayOf(range.to - 1) : withData[withData.length - 1];
  if (first === undefined || last === undefined || first > last) return [];
  if (withData.length > 0 && first < withData[0] && dayCount(first, last) > MAX_DAYS) first = withData[0];
  const result: DayStats[] = [];
  for (let day = first; day <= last && result.length < MAX_DAYS; day = nextDay(day)) {
    const total = days.get(day) ?? { sessions: 0, totalMs: 0 };
    result.push({ day, ...total, averageMs: total.sessions > 0 ? Math.round(total.totalMs / total.sessions) : null });
  }
  return result;
}

function dayCount(first: string, last: string): number {
  return (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
}
