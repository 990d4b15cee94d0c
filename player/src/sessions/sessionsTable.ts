/** The sessions table: sortable columns and keyset pages (Previous/Next), each page one indexed query. */
import type { SessionPage, SessionSort, SessionSummary } from '../../../shared/api';
import { fetchSessions, SESSIONS_PAGE_SIZE } from '../api';
import { el, errorBox } from '../dom';
import { formatCount, formatDateTime, formatDuration, formatUrl, formatUser } from '../format';
import { frustrationCell } from './frustrationCell';
import type { SessionsView } from './sessionsView';

interface Column {
  key: string;
  label: string;
  sort?: SessionSort;
  numeric?: boolean;
  cell(session: SessionSummary): HTMLTableCellElement;
}

function replayHref(id: string): string {
  return `/sessions/${encodeURIComponent(id)}`;
}

const COLUMNS: Column[] = [
  {
    key: 'length',
    label: 'Length',
    sort: 'length',
    cell: (s) => el('td', { class: 'strong' }, el('a', { href: replayHref(s.id) }, formatDuration(s.lengthMs))),
  },
  { key: 'active', label: 'Active', sort: 'activeTime', cell: (s) => el('td', {}, formatDuration(s.activeMs)) },
  {
    key: 'startedAt',
    label: 'Start',
    sort: 'startedAt',
    cell: (s) => el('td', { title: s.startedAt }, formatDateTime(s.startedAt)),
  },
  {
    key: 'user',
    label: 'User',
    cell: (s) =>
      el(
        'td',
        { title: s.userId ?? `device ${s.deviceId}` },
        el('span', { class: s.userId ? 'clip' : 'clip muted' }, formatUser(s.userId, s.deviceId)),
      ),
  },
  { key: 'entryUrl', label: 'Entry URL', cell: (s) => el('td', { class: 'url', title: s.entryUrl ?? '' }, formatUrl(s.entryUrl)) },
  { key: 'pages', label: 'Pages', numeric: true, cell: (s) => el('td', { class: 'num' }, formatCount(s.pages)) },
  { key: 'windows', label: 'Tabs', numeric: true, cell: (s) => el('td', { class: 'num' }, formatCount(s.windows)) },
  {
    key: 'errors',
    label: 'Errors',
    numeric: true,
    cell: (s) => el('td', { class: s.errorCount > 0 ? 'num has-errors' : 'num muted' }, formatCount(s.errorCount)),
  },
  {
    key: 'frustration',
    label: 'Frustration',
    sort: 'frustration',
    cell: frustrationCell,
  },
  {
    key: 'status',
    label: 'Status',
    cell: (s) => el('td', {}, el('span', { class: `badge badge-${s.status}` }, s.status)),
  },
];

/** Rows shown while the first page loads, so the table does not jump when it arrives. */
const PLACEHOLDER_ROWS = 8;

function sessionRow(session: SessionSummary): HTMLTableRowElement {
  const row = el('tr', { 'data-session-id': session.id });
  for (const column of COLUMNS) {
    const cell = column.cell(session);
    cell.dataset.col = column.key;
    row.append(cell);
  }
  return row;
}

function placeholderRows(): HTMLTableRowElement[] {
  return Array.from({ length: PLACEHOLDER_ROWS }, () =>
    el('tr', { class: 'placeholder' }, ...COLUMNS.map(() => el('td', {}, el('span', { class: 'skeleton' })))),
  );
}

/** The sessions table and its paging. */
export interface SessionsTable {
  element: HTMLElement;
  /** Shows the first page of `view` with `filters` (the API query of its filters). */
  load(view: SessionsView, filters: URLSearchParams): Promise<SessionPage | null>;
}

/** What the row shown when nothing matches offers, to widen the view. */
export interface NoMatchAction {
  label: string;
  run(): void;
}

/** Builds the table; `onSort` runs when a sortable header is clicked. */
export function createSessionsTable(
  onSort: (sort: SessionSort) => void,
  noMatch: (view: SessionsView) => NoMatchAction,
): SessionsTable {
  const headers = COLUMNS.map((column) => {
    const th = el('th', { scope: 'col', 'data-col': column.key, class: column.numeric ? 'num' : '' });
    if (!column.sort) {
      th.textContent = column.label;
      return th;
    }
    const sort = column.sort;
    const button = el('button', { type: 'button', class: 'sort', 'data-sort': sort }, column.label, el('span', { class: 'sort-arrow' }));
    button.addEventListener('click', () => onSort(sort));
    th.append(button);
    return th;
  });
  const rows = el('tbody');
  rows.append(...placeholderRows());
  // The whole row opens the replay; the link in the first cell keeps middle-click and keyboard use.
  rows.addEventListener('click', (event) => {
    const target = event.target as Element;
    const row = target.closest('tr');
    if (row?.dataset.sessionId && !target.closest('a, button')) location.href = replayHref(row.dataset.sessionId);
  });
  const range = el('span', { class: 'muted', 'data-testid': 'page-range' });
  const previous = el('button', { type: 'button', class: 'button', 'data-testid': 'previous-page', disabled: '' }, '← Previous');
  const next = el('button', { type: 'button', class: 'button', 'data-testid': 'next-page', disabled: '' }, 'Next →');
  const status = el('div', { class: 'table-status' });
  const table = el('table', { class: 'sessions' }, el('thead', {}, el('tr', {}, ...headers)), rows);
  const element = el(
    'section',
    { class: 'card table-card', 'aria-label': 'Sessions' },
    el('div', { class: 'table-scroll' }, table),
    status,
    el('div', { class: 'table-footer' }, range, el('div', { class: 'pager' }, previous, next)),
  );

  let view: SessionsView | null = null;
  let filters = new URLSearchParams();
  /** Cursors of the pages before the current one; the first page's is null. */
  let cursors: (string | null)[] = [];
  let nextCursor: string | null = null;
  let inFlight: AbortController | null = null;

  const showPage = async (cursor: string | null): Promise<SessionPage | null> => {
    if (!view) return null;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    table.classList.add('loading');
    previous.disabled = next.disabled = true;
    try {
      const page = await fetchSessions(filters, view, cursor, controller.signal);
      status.replaceChildren();
      if (page.sessions.length > 0) rows.replaceChildren(...page.sessions.map(sessionRow));
      else {
        const action = noMatch(view);
        const widen = el('button', { type: 'button', class: 'link-button', 'data-testid': 'widen' }, action.label);
        widen.addEventListener('click', action.run);
        rows.replaceChildren(
          el('tr', { class: 'no-match' }, el('td', { colspan: String(COLUMNS.length) }, 'No sessions match. ', widen)),
        );
      }
      nextCursor = page.nextCursor;
      const first = (cursors.length - 1) * SESSIONS_PAGE_SIZE + 1;
      range.textContent =
        page.sessions.length === 0
          ? '0 sessions'
          : `${formatCount(first)}–${formatCount(first + page.sessions.length - 1)} of ${formatCount(page.total)}`;
      previous.disabled = cursors.length <= 1;
      next.disabled = nextCursor === null;
      return page;
    } catch (error) {
      if (controller.signal.aborted) return null;
      status.replaceChildren(errorBox('Could not load sessions', error));
      rows.replaceChildren();
      range.textContent = '';
      return null;
    } finally {
      if (inFlight === controller) table.classList.remove('loading');
    }
  };

  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    void showPage(nextCursor);
  });
  previous.addEventListener('click', () => {
    if (cursors.length <= 1) return;
    cursors.pop();
    void showPage(cursors[cursors.length - 1]);
  });

  return {
    element,
    load(nextView, nextFilters) {
      view = nextView;
      filters = nextFilters;
      cursors = [null];
      for (const th of headers) {
        const sort = th.querySelector<HTMLElement>('.sort')?.dataset.sort;
        th.setAttribute('aria-sort', sort === view.sort ? (view.order === 'desc' ? 'descending' : 'ascending') : 'none');
      }
      return showPage(null);
    },
  };
}
