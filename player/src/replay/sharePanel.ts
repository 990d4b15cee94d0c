/**
 * The replay page's "Share" button: a panel that creates a link (and copies it), lists the
 * session's links and revokes them. Only the admin may share: for a viewer who came through a
 * link, the listing is refused and the button goes away.
 */
import type { ShareLink } from '../../../shared/api';
import { el } from '../dom';
import { formatDateTime } from '../format';
import { isLinkViewer } from './linkViewer';
import { createShare, listShares, revokeShare } from './shareApi';
import './sharePanel.css';

/** How long a new link may work, as offered (hours). */
const LIFETIMES: [string, number][] = [
  ['1 day', 24],
  ['7 days', 168],
  ['30 days', 720],
  ['1 year', 8_760],
];
const DEFAULT_HOURS = 168;

/** The Share button with its panel, for the session `sessionId`. */
export function createSharePanel(sessionId: string): HTMLElement {
  const button = el('button', { type: 'button', class: 'button', 'data-testid': 'share', 'aria-expanded': 'false' }, 'Share');
  const lifetime = el('select', { 'data-testid': 'share-lifetime', 'aria-label': 'Link works for' });
  for (const [label, hours] of LIFETIMES) {
    const option = el('option', { value: String(hours) }, label);
    option.selected = hours === DEFAULT_HOURS;
    lifetime.append(option);
  }
  const create = el('button', { type: 'button', class: 'button primary', 'data-testid': 'create-share' }, 'Create link and copy');
  const created = el('input', { type: 'text', readonly: '', class: 'share-url', 'data-testid': 'share-url', hidden: '' });
  const status = el('p', { class: 'share-status muted', role: 'status' });
  const list = el('ul', { class: 'share-list', 'data-testid': 'share-list' });
  const panel = el(
    'div',
    { class: 'share-panel card', 'data-testid': 'share-panel', hidden: '' },
    el('label', {}, 'Anyone with the link can watch this replay, and nothing else, for ', lifetime),
    create,
    created,
    status,
    el('h3', {}, 'Links to this replay'),
    list,
  );
  const root = el('div', { class: 'share' }, button, panel);

  const row = (share: ShareLink): HTMLElement => {
    const revoke = el('button', { type: 'button', class: 'button', 'data-testid': 'revoke-share' }, 'Revoke');
    revoke.addEventListener('click', () => {
      revokeShare(share.id).then(refresh, showError);
    });
    const expiry = share.expired ? `expired ${formatDateTime(share.expiresAt)}` : `works until ${formatDateTime(share.expiresAt)}`;
    return el(
      'li',
      { 'data-share-id': share.id, class: share.expired ? 'expired' : '' },
      el('span', {}, `Made ${formatDateTime(share.createdAt)}, ${expiry}`),
      revoke,
    );
  };

  const showError = (error: unknown): void => {
    status.textContent = error instanceof Error ? error.message : String(error);
  };

  const refresh = async (): Promise<void> => {
    const shares = await listShares(sessionId);
    list.replaceChildren(...(shares.length > 0 ? shares.map(row) : [el('li', { class: 'muted' }, 'None yet.')]));
  };

  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) refresh().catch(showError);
  });
  create.addEventListener('click', async () => {
    try {
      const share = await createShare(sessionId, Number(lifetime.value));
      created.value = share.url;
      created.hidden = false;
      created.select();
      // Without clipboard permission the link is still there to copy by hand.
      const copied = await navigator.clipboard.writeText(share.url).then(
        () => true,
        () => false,
      );
      status.textContent = copied ? 'Link copied. It is shown only now.' : 'Copy the link above. It is shown only now.';
      await refresh();
    } catch (error) {
      showError(error);
    }
  });

  // A viewer who came through a link may not share it further: no button for them.
  void isLinkViewer(sessionId).then((viewer) => {
    if (viewer) root.remove();
  });
  return root;
}
