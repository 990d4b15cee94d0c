/** The player an exported file carries inline (dist/export), and the CSP that lets only it run. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The built export player, ready to inline. */
export interface PlayerBundle {
  script: string;
  style: string;
  /** The file's Content-Security-Policy: its own script (by hash) and nothing from the network. */
  policy: string;
}

/**
 * Inside <script>, `</script` would end the element and `<!--` could change how the rest is
 * parsed; in JavaScript `\x3C` stands for `<` in strings, templates and regular expressions alike.
 */
function inlineScript(code: string): string {
  return code.replace(/<(?=\/script|!--)/gi, '\\x3C');
}

/**
 * No fetch, no frame, no form, no base: images, fonts, media and stylesheets only from data:
 * and blob: URLs (the player makes the embedded captured assets blob: URLs), so a recorded
 * page's references to its own site load nothing. rrweb rebuilds the recorded page's <style>
 * elements and style attributes: inline styles, which CSS can only turn into requests through
 * the image and font rules above.
 */
function exportPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline' blob:",
    'img-src data: blob:',
    'font-src data: blob:',
    'media-src data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const bundles = new Map<string, PlayerBundle>();

/** The bundle built into `dir` (export.js, export.css), read once; null when it is not built. */
export function loadPlayerBundle(dir: string): PlayerBundle | null {
  const cached = bundles.get(dir);
  if (cached) return cached;
  const scriptFile = path.join(dir, 'export.js');
  const styleFile = path.join(dir, 'export.css');
  if (!fs.existsSync(scriptFile) || !fs.existsSync(styleFile)) return null;
  const script = inlineScript(fs.readFileSync(scriptFile, 'utf8'));
  const style = fs.readFileSync(styleFile, 'utf8').replace(/<\/style/gi, '\\3C/style');
  const bundle = { script, style, policy: exportPolicy(script) };
  bundles.set(dir, bundle);
  return bundle;
}
