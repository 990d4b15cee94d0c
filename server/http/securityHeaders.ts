/**
 * Security headers. The player renders other people's pages (rebuilt by rrweb in a sandboxed
 * iframe, which inherits this CSP): no script runs but the player's own files, while the
 * recorded page's styles, images and fonts still load from wherever they live.
 */
import type { RequestHandler } from 'express';

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

/** Headers every answer gets; the player's CSP and framing rules on all but the demo page. */
export function securityHeaders({ dev }: { dev: boolean }): RequestHandler {
  const csp = contentSecurityPolicy(dev);
  return (req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      // Replays load the recorded site's images: the player's URLs (session ids) stay here.
      'Referrer-Policy': 'no-referrer',
    });
    // The demo page stands for a customer's site, inline scripts and all.
    if (req.path !== '/demo') {
      res.set({
        'Content-Security-Policy': csp,
        'X-Frame-Options': 'DENY',
        'Cross-Origin-Opener-Policy': 'same-origin',
      });
    }
    next();
  };
}
