/** The player inside an exported HTML file: the replay page over the recording the file holds. */
import '../style.css';
import './export.css';
import { renderReplayPage } from '../replay/replayPage';
import { embeddedSource, embeddedSummary } from './embeddedSource';

const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from the export');
document.body.classList.add('standalone');
renderReplayPage(root, embeddedSummary(document).id, { source: embeddedSource(document), standalone: true });
