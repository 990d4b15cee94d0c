/**
 * One session as a single HTML file that replays offline: the player inline, the summary as
 * JSON, then each stored chunk as the server keeps it (the recorder's gzip) in base64, then
 * each captured asset the recording references, in base64 with its type, decoded by the player
 * (player/src/export/embeddedSource.ts, embeddedAssets.ts). Produced piece by piece, so a
 * session of any length is written without holding it in memory.
 */
import type { SessionSummary } from '../../shared/api';
import { escapeHtml } from '../escapeHtml';
import type { StoredAsset } from '../assets/assetStore';
import type { StoredChunk } from '../storage/storage';
import type { PlayerBundle } from './playerBundle';


/** JSON that cannot end its <script> element: every `<` written as \u003c. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The file's parts in order: head and summary, one per chunk, one per asset, then the player. */
export async function* replayHtml(
  session: SessionSummary,
  chunks: AsyncIterable<StoredChunk>,
  assets: AsyncIterable<StoredAsset>,
  bundle: PlayerBundle,
): AsyncIterable<string> {
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(bundle.policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Session ${escapeHtml(session.id)} · Session replay</title>
<style>${bundle.style}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="replay-session">${scriptJson(session)}</script>
`;
  for await (const { windowId, seq, data, verdict } of chunks) {
    // A chunk its check found unreadable or misstated goes without its bytes, as the events stream sends it.
    const marked = verdict === 'corrupt' || verdict === 'lying' ? ` data-marked="${verdict}"` : '';
    const body = marked ? '' : data.toString('base64');
    yield `<script type="application/x-replay-chunk" data-window="${escapeHtml(windowId)}" data-seq="${seq}"${marked}>${body}</script>\n`;
  }
  for await (const { hash, contentType, body } of assets) {
    yield `<script type="application/x-replay-asset" data-hash="${escapeHtml(hash)}" data-type="${escapeHtml(contentType)}">${body.toString('base64')}</script>\n`;
  }
  yield `<script>${bundle.script}</script>
</body>
</html>
`;
}
