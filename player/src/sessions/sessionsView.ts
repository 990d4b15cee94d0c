/**
 * What the sessions page shows (filters, sort, histogram buckets), kept in the URL so a view
 * can be shared, and turned into API query parameters. Pure: `now` comes in as a parameter.
 */
import { SESSION_SORTS, STATS_BUCKETS, type SessionSort, type StatsBuckets } from '../../../shared/api';
import { SIGNAL_KINDS, type SignalKind } from '../../../shared/signals';

const DAY_MS = 86_400_000;

/** Relative date ranges, as their length back from now. */
const RANGE_PRESETS = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
} as const;

type RangePreset = keyof typeof RANGE_PRESETS;
/** The date range: a preset back from now, everything, or custom days. */
export type Range = RangePreset | 'all' | 'custom';
type SortOrder = 'asc' | 'desc';
/** Sessions with console errors, without, or either. */
export type ErrorsFilter = 'any' | 'with' | 'without';
/** `frustrated`: any of the three signals. */
export type SignalFilter = 'any' | 'frustrated' | SignalKind;
const SIGNAL_FILTERS: readonly SignalFilter[] = ['any', 'frustrated', ...SIGNAL_KINDS];

/** Everything the sessions page shows, as kept in its URL. */
export interface SessionsView {
  range: Range;
  /** Local calendar days (YYYY-MM-DD), both inclusive; used when `range` is `custom`. */
  fromDay: string | null;
  toDay: string | null;
  minLengthS: number | null;
  maxLengthS: number | null;
  /** Exact user id given to identify(). */
  user: string;
  /** Text any visited page URL contains. */
  url: string;
  errors: ErrorsFilter;
  /** Sessions with rage, dead or error clicks. */
  signal: SignalFilter;
  sort: SessionSort;
  order: SortOrder;
  buckets: StatsBuckets;
}

/** The filter part of a view: what the filter bar edits. */
export type ViewFilters = Pick<
  SessionsView,
  'range' | 'fromDay' | 'toDay' | 'minLengthS' | 'maxLengthS' | 'user' | 'url' | 'errors' | 'signal'
>;

/** The filters of a fresh page: the last 30 days, nothing else. */
export const DEFAULT_FILTERS: ViewFilters = {
  range: '30d',
  fromDay: null,
  toDay: null,
  minLengthS: null,
  maxLengthS: null,
  user: '',
  url: '',
  errors: 'any',
  signal: 'any',
};

/** A fresh page: default filters, longest sessions first. */
export const DEFAULT_VIEW: SessionsView = {
  ...DEFAULT_FILTERS,
  sort: 'length',
  order: 'desc',
  buckets: 'default',
};

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function seconds(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function day(value: string | null): string | null {
  return value !== null && DAY_PATTERN.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

const RANGES: readonly Range[] = [...(Object.keys(RANGE_PRESETS) as RangePreset[]), 'all', 'custom'];

/** Reads a view from a query string; anything missing or malformed takes its default. */
export function parseView(search: string): SessionsView {
  const q = new URLSearchParams(search);
  const fromDay = day(q.get('from'));
  const toDay = day(q.get('to'));
  const custom = fromDay !== null || toDay !== null;
  return {
    range: custom ? 'custom' : oneOf(q.get('range'), RANGES.filter((r) => r !== 'custom'), DEFAULT_VIEW.range),
    fromDay,
    toDay,
    minLengthS: seconds(q.get('minLength')),
    maxLengthS: seconds(q.get('maxLength')),
    user: q.get('user')?.trim() ?? '',
    url: q.get('url')?.trim() ?? '',
    errors: oneOf(q.get('errors'), ['any', 'with', 'without'], 'any'),
    signal: oneOf(q.get('signal'), SIGNAL_FILTERS, 'any'),
    sort: oneOf(q.get('sort'), SESSION_SORTS, DEFAULT_VIEW.sort),
    order: oneOf(q.get('order'), ['asc', 'desc'], DEFAULT_VIEW.order),
    buckets: oneOf(q.get('buckets'), STATS_BUCKETS, DEFAULT_VIEW.buckets),
  };
}

/** The query string for a view, defaults left out so a plain view has a plain URL. */
export function viewToSearch(view: SessionsView): string {
  const q = new URLSearchParams();
  if (view.range === 'custom') {
    if (view.fromDay) q.set('from', view.fromDay);
    if (view.toDay) q.set('to', view.toDay);
  } else if (view.range !== DEFAULT_VIEW.range) {
    q.set('range', view.range);
  }
  if (view.minLengthS !== null) q.set('minLength', String(view.minLengthS));
  if (view.maxLengthS !== null) q.set('maxLength', String(view.maxLengthS));
  if (view.user) q.set('user', view.user);
  if (view.url) q.set('url', view.url);
  if (view.errors !== 'any') q.set('errors', view.errors);
  if (view.signal !== 'any') q.set('signal', view.signal);
  if (view.sort !== DEFAULT_VIEW.sort) q.set('sort', view.sort);
  if (view.order !== DEFAULT_VIEW.order) q.set('order', view.order);
  if (view.buckets !== DEFAULT_VIEW.buckets) q.set('buckets', view.buckets);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Start of a local calendar day, ms since the epoch. */
function localDayStart(isoDay: string): number {
  const [y, m, d] = isoDay.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

/** The [from, to) instants a view's date range covers; either may be open. */
export function timeRange(view: SessionsView, now: number): { from?: number; to?: number } {
  if (view.range === 'all') return {};
  if (view.range === 'custom') {
    return {
      ...(view.fromDay ? { from: localDayStart(view.fromDay) } : {}),
      // The last day is inclusive: the range ends where the next day starts.
      ...(view.toDay ? { to: localDayStart(view.toDay) + DAY_MS } : {}),
    };
  }
  return { from: now - RANGE_PRESETS[view.range] };
}

/** The filters of `GET /api/sessions` and `GET /api/stats` for a view. */
export function filterQuery(view: SessionsView, now: number): URLSearchParams {
  const q = new URLSearchParams();
  const { from, to } = timeRange(view, now);
  if (from !== undefined) q.set('from', String(Math.round(from)));
  if (to !== undefined) q.set('to', String(Math.round(to)));
  if (view.minLengthS !== null) q.set('minLengthMs', String(Math.round(view.minLengthS * 1_000)));
  if (view.maxLengthS !== null) q.set('maxLengthMs', String(Math.round(view.maxLengthS * 1_000)));
  if (view.user) q.set('userId', view.user);
  if (view.url) q.set('url', view.url);
  if (view.errors !== 'any') q.set('hasErrors', String(view.errors === 'with'));
  if (view.signal !== 'any') q.set('signal', view.signal === 'frustrated' ? SIGNAL_KINDS.join(',') : view.signal);
  return q;
}

/** Whether anything beyond the default date range narrows the sessions. */
export function hasFilters(view: SessionsView): boolean {
  return (
    view.range !== DEFAULT_VIEW.range ||
    view.minLengthS !== null ||
    view.maxLengthS !== null ||
    view.user !== '' ||
    view.url !== '' ||
    view.errors !== 'any' ||
    view.signal !== 'any'
  );
}

/** The order a column starts in when first clicked: biggest or newest first. */
export function toggleSort(view: SessionsView, sort: SessionSort): Pick<SessionsView, 'sort' | 'order'> {
  if (view.sort === sort) return { sort, order: view.order === 'desc' ? 'asc' : 'desc' };
  return { sort, order: 'desc' };
}
