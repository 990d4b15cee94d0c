/** Reads a request body within byte limits, inflating gzip while counting, so a bomb is refused early. */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';
import type { BodyLimits } from './limits';

const gunzipAsync = promisify(gunzip);

/** A request body as read. */
export interface RawBody {
  /** The bytes as received. */
  raw: Buffer;
  /** The JSON text's bytes, inflated when the body was gzip. */
  json: Buffer;
  gzipped: boolean;
}

/** Reads the whole body; 413 past `maxBodyBytes` (as sent) or `maxInflatedBytes` (inflated). */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<RawBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBodyBytes) throw tooLarge(req, `body of ${declared} bytes exceeds ${limits.maxBodyBytes}`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limits.maxBodyBytes) throw tooLarge(req, `body exceeds ${limits.maxBodyBytes} bytes`);
    parts.push(part);
  }
  const raw = Buffer.concat(parts, size);
  // The snippet sends gzip as text/plain (no CORS preflight, works with sendBeacon), so the
  // magic bytes decide as much as the header does; JSON never starts with 0x1f.
  const gzipped = req.headers['content-encoding'] === 'gzip' || (raw[0] === 0x1f && raw[1] === 0x8b);
  if (!gzipped) return { raw, json: raw, gzipped };
  try {
    // zlib stops inflating once the output passes maxOutputLength: a bomb costs at most that much memory.
    const json = await gunzipAsync(raw, { maxOutputLength: limits.maxInflatedBytes });
    return { raw, json, gzipped };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw tooLarge(req, `inflated body exceeds ${limits.maxInflatedBytes} bytes`);
    }
    throw new HttpError(400, 'bad_gzip', 'body is not valid gzip');
  }
}

/** A client still uploading an oversized body this long after its 413 is cut off. */
const OVERSIZED_DRAIN_MS = 5_000;

/**
 * A 413. HTTP clients read no answer before their upload is done, so the rest of the body is
 * discarded as it comes (never kept); a client that keeps sending is disconnected.
 */
function tooLarge(req: IncomingMessage, message: string): HttpError {
  const cutOff = setTimeout(() => {
    // Once Node has let go of the connection (the client hung up), req.socket is null: an
    // unguarded destroy() here crashed the whole server.
    if (!req.complete) req.socket?.destroy();
  }, OVERSIZED_DRAIN_MS);
  cutOff.unref();
  req.once('end', () => clearTimeout(cutOff));
  return new HttpError(413, 'too_large', message);
}
