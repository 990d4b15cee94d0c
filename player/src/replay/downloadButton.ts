/** The replay page's "Download" button: the session as one HTML file that replays offline. */
import { el } from '../dom';

/** A link to `GET /api/sessions/:id/export.html`, which the server sends as an attachment. */
export function createDownloadButton(sessionId: string): HTMLElement {
  return el(
    'a',
    {
      class: 'button',
      href: `/api/sessions/${encodeURIComponent(sessionId)}/export.html`,
      download: '',
      'data-testid': 'download',
      title: 'One HTML file that replays this session offline, to attach to a bug report',
    },
    'Download',
  );
}
