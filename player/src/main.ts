import './style.css';
import { el } from './dom';
import { createDownloadButton } from './replay/downloadButton';
import { isLinkViewer } from './replay/linkViewer';
import { renderReplayPage } from './replay/replayPage';
import { createSharePanel } from './replay/sharePanel';
import { renderSessionsPage } from './sessions/sessionsPage';

const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from index.html');

const replayMatch = /^\/sessions\/([^/]+)\/?$/.exec(location.pathname);
if (replayMatch) {
  const id = decodeURIComponent(replayMatch[1]);
  renderReplayPage(root, id, { actions: [createSharePanel(id), createDownloadButton(id)], linkViewer: isLinkViewer(id) });
} else if (location.pathname === '/') {
  renderSessionsPage(root);
} else {
  document.title = 'Not found · Session replay';
  root.replaceChildren(
    el('main', { class: 'page' }, el('h1', {}, 'Page not found'), el('a', { href: '/' }, 'All sessions')),
  );
}
