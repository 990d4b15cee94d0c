import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  filterQuery,
  hasFilters,
  parseView,
  timeRange,
  toggleSort,
  viewToSearch,
} from '../../../../player/src/sessions/sessionsView';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY_MS = 86_400_000;

describe('sessions view in the URL', () => {
  it('reads an empty query as the default view and writes the default view as no query', () => {
    expect(parseView('')).toEqual(DEFAULT_VIEW);
    expect(viewToSearch(DEFAULT_VIEW)).toBe('');
  });

  it('round-trips every filter, the sort and the buckets', () => {
    const search = '?range=7d&minLength=4.5&maxLength=600&user=jane%40shop.test&url=%2Fcart&errors=with&signal=dead&sort=frustration&order=asc&buckets=pow2';
    const view = parseView(search);
    expect(view).toEqual({
      ...DEFAULT_VIEW,
      range: '7d',
      minLengthS: 4.5,
      maxLengthS: 600,
      user: 'jane@shop.test',
      url: '/cart',
      errors: 'with',
      signal: 'dead',
      sort: 'frustration',
      order: 'asc',
      buckets: 'pow2',
    });
    expect(parseView(viewToSearch(view))).toEqual(view);
  });

  it('treats days as a custom range and drops what it cannot read', () => {
    expect(parseView('?from=2026-11-01&range=7d')).toMatchObject({ range: 'custom', fromDay: '2026-11-01', toDay: null });
    expect(parseView('?range=forever&minLength=-3&maxLength=abc&sort=bytes&order=up&errors=maybe&signal=sad&from=yesterday')).toEqual(
      DEFAULT_VIEW,
    );
  });
});

describe('API query of a view', () => {
  it('turns seconds into ms, the user into userId and errors into hasErrors', () => {
    const q = filterQuery({ ...DEFAULT_VIEW, range: 'all', minLengthS: 1.5, maxLengthS: 60, user: 'u1', url: 'cart', errors: 'without' }, NOW);
    expect(Object.fromEntries(q)).toEqual({ minLengthMs: '1500', maxLengthMs: '60000', userId: 'u1', url: 'cart', hasErrors: 'false' });
  });

  it.each([
    ['frustrated', 'rage,dead,error'],
    ['rage', 'rage'],
    ['error', 'error'],
  ] as const)('asks for signal %s as signal=%s', (signal, expected) => {
    expect(filterQuery({ ...DEFAULT_VIEW, range: 'all', signal }, NOW).get('signal')).toBe(expected);
  });

  it('counts a preset back from now and leaves the end open', () => {
    expect(timeRange({ ...DEFAULT_VIEW, range: '24h' }, NOW)).toEqual({ from: NOW - DAY_MS });
    expect(Object.fromEntries(filterQuery(DEFAULT_VIEW, NOW))).toEqual({ from: String(NOW - 30 * DAY_MS) });
    expect(timeRange({ ...DEFAULT_VIEW, range: 'all' }, NOW)).toEqual({});
  });

  it('includes the whole last day of a custom range', () => {
    const { from, to } = timeRange({ ...DEFAULT_VIEW, range: 'custom', fromDay: '2026-11-01', toDay: '2026-11-01' }, NOW);
    expect(from).toBe(new Date(2026, 10, 1).getTime());
    expect(to).toBe(new Date(2026, 10, 1).getTime() + DAY_MS);
  });
});

describe('sorting and filtering', () => {
  it('starts a new column biggest first and flips the current one', () => {
    expect(toggleSort(DEFAULT_VIEW, 'startedAt')).toEqual({ sort: 'startedAt', order: 'desc' });
    expect(toggleSort(DEFAULT_VIEW, 'length')).toEqual({ sort: 'length', order: 'asc' });
  });

  it('knows when anything narrows the default view', () => {
    expect(hasFilters(DEFAULT_VIEW)).toBe(false);
    expect(hasFilters({ ...DEFAULT_VIEW, sort: 'startedAt', buckets: 'pow2' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_VIEW, url: 'cart' })).toBe(true);
    expect(hasFilters({ ...DEFAULT_VIEW, range: 'all' })).toBe(true);
  });
});
