import type { SessionSort, StatsBuckets } from '../../../shared/api';
import { fetchStats, hasAnySession } from '../api';
import { el } from '../dom';
import { createFiltersBar } from './filtersBar';
import { createSessionsTable } from './sessionsTable';
import { DEFAULT_VIEW, filterQuery, hasFilters, parseView, toggleSort, viewToSearch, type SessionsView } from './sessionsView';
import { createStatsPanel } from './statsPanel';

/** Renders `/`: figures and charts for the chosen range, then the sessions, longest first. */
export function renderSessionsPage(root: HTMLElement): void {
  document.title = 'Sessions · Session replay';
  let view = parseView(location.search);

  const filtersBar = createFiltersBar((filters) => update({ ...view, ...filters }, { stats: true }));
  const stats = createStatsPanel((buckets: StatsBuckets) => update({ ...view, buckets }, { stats: true, table: false }));
  const clearFilters = (): void =>
    update({ ...DEFAULT_VIEW, sort: view.sort, order: view.order, buckets: view.buckets }, { stats: true });
  const table = createSessionsTable(
    (sort: SessionSort) => update({ ...view, ...toggleSort(view, sort) }, { stats: false }),
    // Unfiltered yet empty: everything recorded is older than the default range.
    (shown) =>
      hasFilters(shown)
        ? { label: 'Clear filters', run: clearFilters }
        : { label: 'Show all time', run: () => update({ ...view, range: 'all' }, { stats: true }) },
  );
  const content = el('div', { class: 'sessions-content' }, filtersBar.element, stats.element, table.element);
  root.replaceChildren(
    el(
      'main',
      { class: 'page' },
      el(
        'header',
        { class: 'page-header' },
        el('h1', {}, 'Sessions'),
        el('p', { class: 'muted' }, 'Every recorded visit, longest first. Click one to watch it.'),
      ),
      content,
    ),
  );

  let statsRequest: AbortController | null = null;
  function update(next: SessionsView, parts: { stats: boolean; table?: boolean }): void {
    view = next;
    history.replaceState(history.state, '', `${location.pathname}${viewToSearch(view)}`);
    filtersBar.show(view);
    const filters = filterQuery(view, Date.now());
    if (parts.stats) {
      statsRequest?.abort();
      const controller = new AbortController();
      statsRequest = controller;
      fetchStats(filters, view.buckets, controller.signal).then(
        (answer) => stats.show(answer, view.buckets),
        (error: unknown) => {
          if (!controller.signal.aborted) stats.fail(error);
        },
      );
    }
    if (parts.table === false) return;
    void table.load(view, filters).then(async (page) => {
      // Nothing at all recorded yet (not merely nothing matching): show how to start.
      if (page?.total === 0 && !hasFilters(view) && !(await hasAnySession())) content.replaceChildren(emptyState());
    });
  }

  update(view, { stats: true });
}

function emptyState(): HTMLElement {
  const snippet = `<script defer src="${location.origin}/recorder.js" data-project="demo"></script>`;
  return el(
    'section',
    { class: 'card empty', 'data-testid': 'empty' },
    el('h2', {}, 'No sessions recorded yet'),
    el('p', {}, 'Paste this tag into the <head> of every page you want to record:'),
    el('pre', { 'data-testid': 'snippet' }, el('code', {}, snippet)),
    el(
      'p',
      { class: 'muted' },
      'Add data-console="true" or data-network="true" to capture console output or requests. ',
      'Sessions show up here within a few seconds.',
    ),
    el(
      'p',
      {},
      el('a', { class: 'button', href: '/demo' }, 'Open the demo page'),
      ' and click around to record a first session.',
    ),
  );
}
