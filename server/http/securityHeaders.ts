/**
 * Security headers. The player renders other people's pages (rebuilt by rrweb in a sandboxed
 * iframe, which inherits this CSP): no script runs but the player's own files, while the
 * recorded page's styles, images and fonts still load from wherever they live.
 */
import type { ServerResponse } from 'node:http';

/** The player's policy; `dev` adds what Vite's hot reload needs (its websocket). */
function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // rrweb rebuilds recorded <style> and style="" attributes inline; no script can come of it.
    "style-src 'self' 'unsafe-inline' http: https:",
    "img-src 'self' data: blob: http: https:",
    "font-src 'self' data: http: https:",
    "media-src 'self' data: blob: http: https:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sets the headers every answer gets on `res` for a request to `path`: the player's CSP and
 * framing rules on all but the demo page. Plain Node, for the ingest listener ahead of Express.
 */
export function securityHeaderSetter({ dev }: { dev: boolean }): (res: ServerResponse, path: string) => void {
  const everywhere = Object.entries({
    'X-Content-Type-Options': 'nosniff',
    // Replays load the recorded site's images: the player's URLs (session ids) stay here.
    'Referrer-Policy': 'no-referrer',
  });
  const player = Object.entries({
    'Content-Security-Policy': contentSecurityPolicy(dev),
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  return (res, path) => {
    for (const [name, value] of everywhere) res.setHeader(name, value);
    // The demo page stands for a customer's site, inline scripts and all.
    if (path !== '/demo') for (const [name, value] of player) res.setHeader(name, value);
  };
}
