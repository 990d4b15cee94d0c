import type { SessionPage, SessionSummary } from '../../shared/api';
import { fetchSessions } from './api';
import { el, errorBox } from './dom';
import { formatCount, formatDateTime, formatDuration, formatUrl, formatUser } from './format';

const COLUMNS = ['Length', 'Start', 'Entry URL', 'Pages', 'Events', 'Errors', 'User', 'Status'];

/** Renders `/`: every session, longest first, one page at a time. */
export function renderSessionsPage(root: HTMLElement): void {
  document.title = 'Sessions · Session replay';
  const total = el('p', { class: 'muted', 'data-testid': 'total' }, 'Loading sessions…');
  const body = el('div');
  const header = el('header', { class: 'page-header' }, el('h1', {}, 'Sessions'), total);
  root.replaceChildren(el('main', { class: 'page' }, header, body));

  fetchSessions().then(
    (page) => {
      total.textContent = `${formatCount(page.total)} ${page.total === 1 ? 'session' : 'sessions'}`;
      body.replaceChildren(page.sessions.length === 0 ? emptyState() : sessionsTable(page));
    },
    (error: unknown) => {
      total.textContent = '';
      body.replaceChildren(errorBox('Could not load sessions', error));
    },
  );
}

function sessionsTable(first: SessionPage): HTMLElement {
  const rows = el('tbody');
  rows.append(...first.sessions.map(sessionRow));
  // The whole row opens the replay; the link in the first cell keeps middle-click and keyboard use.
  rows.addEventListener('click', (event) => {
    const target = event.target as Element;
    const row = target.closest('tr');
    if (row?.dataset.sessionId && !target.closest('a')) location.href = replayHref(row.dataset.sessionId);
  });
  const table = el(
    'table',
    { class: 'sessions' },
    el('thead', {}, el('tr', {}, ...COLUMNS.map((name) => el('th', { scope: 'col' }, name)))),
    rows,
  );
  const footer = el('div', { class: 'table-footer' });
  const wrapper = el('div', { class: 'table-wrap' }, table, footer);

  const showMore = (cursor: string | null): void => {
    if (!cursor) {
      footer.replaceChildren();
      return;
    }
    const button = el('button', { type: 'button', class: 'button' }, 'Next page');
    button.addEventListener('click', () => {
      button.disabled = true;
      button.textContent = 'Loading…';
      fetchSessions(cursor).then(
        (page) => {
          rows.append(...page.sessions.map(sessionRow));
          showMore(page.nextCursor);
        },
        (error: unknown) => footer.replaceChildren(errorBox('Could not load more sessions', error)),
      );
    });
    footer.replaceChildren(button);
  };
  showMore(first.nextCursor);
  return wrapper;
}

function replayHref(id: string): string {
  return `/sessions/${encodeURIComponent(id)}`;
}

function sessionRow(session: SessionSummary): HTMLTableRowElement {
  return el(
    'tr',
    { 'data-session-id': session.id },
    el(
      'td',
      { 'data-col': 'length', class: 'strong' },
      el('a', { href: replayHref(session.id) }, formatDuration(session.lengthMs)),
    ),
    el('td', { 'data-col': 'startedAt' }, formatDateTime(session.startedAt)),
    el(
      'td',
      { 'data-col': 'entryUrl', class: 'url', title: session.entryUrl ?? '' },
      formatUrl(session.entryUrl),
    ),
    el('td', { 'data-col': 'pages', class: 'num' }, formatCount(session.pages)),
    el('td', { 'data-col': 'events', class: 'num' }, formatCount(session.eventCount)),
    el(
      'td',
      { 'data-col': 'errors', class: session.errorCount > 0 ? 'num has-errors' : 'num muted' },
      formatCount(session.errorCount),
    ),
    el(
      'td',
      { 'data-col': 'user', title: session.userId ?? session.deviceId },
      el('span', { class: 'clip' }, formatUser(session.userId, session.deviceId)),
    ),
    el('td', { 'data-col': 'status' }, el('span', { class: `badge badge-${session.status}` }, session.status)),
  );
}

function emptyState(): HTMLElement {
  const snippet = `<script defer src="${location.origin}/recorder.js" data-project="demo"></script>`;
  return el(
    'section',
    { class: 'empty', 'data-testid': 'empty' },
    el('h2', {}, 'No sessions yet'),
    el('p', {}, 'Paste this tag into the pages you want to record:'),
    el('pre', {}, el('code', {}, snippet)),
    el('p', {}, 'Or ', el('a', { href: '/demo' }, 'open the demo page'), ', click around, then come back.'),
  );
}
