/**
 * Static files as the build precompressed them: `file.br` or `file.gz` chosen by
 * Accept-Encoding (brotli first), the plain file otherwise; a strong ETag per variant, so a
 * revalidation costs a 304; content-hashed names cached for a year.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Vite's content hash in a file name (`index-BCqMufcN.js`): the content never changes under it. */
const HASHED_NAME = /-[\w-]{8}\.\w+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Whether `header` (Accept-Encoding) accepts `coding` (a q=0 refuses it). */
export function accepts(header: string | undefined, coding: string): boolean {
  return (header ?? '').split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== coding && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const etags = new Map<string, { mtimeMs: number; size: number; etag: string }>();

function etagOf(file: string, stat: fs.Stats): string {
  const known = etags.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.etag;
  const etag = `"${createHash('sha256').update(fs.readFileSync(file)).digest('base64url').slice(0, 27)}"`;
  etags.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, etag });
  return etag;
}

function statFile(file: string): fs.Stats | null {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

export interface SendStaticOptions {
  /** Cache-Control for names without a content hash. */
  cacheControl: string;
  headers?: Record<string, string>;
}

/**
 * Answers with `file`, or its precompressed copy. Returns false when there is no such file
 * (or not of a type served), leaving the answer to the caller.
 */
export function sendStatic(req: Request, res: Response, file: string, options: SendStaticOptions): boolean {
  // Only known types: the .br and .gz copies are never served under their own names.
  if (!TYPES[path.extname(file)] || !statFile(file)) return false;
  const encoding = ENCODINGS.find((e) => accepts(req.headers['accept-encoding'], e.name) && statFile(file + e.suffix));
  const served = encoding ? file + encoding.suffix : file;
  const stat = statFile(served) as fs.Stats;
  res.set({
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': HASHED_NAME.test(path.basename(file)) ? IMMUTABLE : options.cacheControl,
    ETag: etagOf(served, stat),
    Vary: 'Accept-Encoding',
    ...options.headers,
  });
  if (encoding) res.set('Content-Encoding', encoding.name);
  if (req.fresh) {
    res.status(304).end();
    return true;
  }
  res.set('Content-Length', String(stat.size));
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(served).pipe(res);
  return true;
}

/** The file under `dir` a request path names, or null when it would leave `dir`. */
export function fileUnder(dir: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(dir, `.${path.posix.normalize(`/${decoded}`)}`);
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}
