/**
 * The server's own fetch of an asset the recorder could not read (a third-party stylesheet
 * without CORS): only from addresses `allowed` accepts, checked on the addresses DNS answered
 * (the ones connected to, so a rebinding name cannot slip past) and again on every redirect;
 * with limits on redirects, size and time.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** What the server may reach and how much it reads. */
export interface PublicFetchLimits {
  /** May the server connect to this IP address? */
  allowed(address: string): boolean;
  maxBytes: number;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
}

/** The answer: status, its Content-Type, the body. */
export interface FetchedUrl {
  status: number;
  contentType: string | null;
  body: Buffer;
}

/** A fetch the limits refused: an address not allowed, too many redirects, too big, too slow. */
export class AssetFetchRefused extends Error {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** dns.lookup, failing for any address not allowed; answers in the form the caller asked for. */
function checkedLookup(allowed: (address: string) => boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((entry) => !allowed(entry.address));
      if (refused || addresses.length === 0) {
        return callback(new AssetFetchRefused(`${hostname} resolves to ${refused?.address ?? 'nothing'}, not a public address`), '', 0);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function requestOnce(url: URL, limits: PublicFetchLimits, signal: AbortSignal): Promise<http.IncomingMessage> {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal is connected to without a lookup: checked here instead.
  if (net.isIP(literal) && !limits.allowed(literal)) return Promise.reject(new AssetFetchRefused(`${literal} is not a public address`));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { lookup: checkedLookup(limits.allowed), signal, headers: { accept: 'text/css,font/*,image/*;q=0.9' } }, resolve);
    request.on('error', reject);
  });
}

async function readLimited(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AssetFetchRefused(`${declared} bytes exceed ${maxBytes}`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of response as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBytes) {
      response.destroy();
      throw new AssetFetchRefused(`more than ${maxBytes} bytes`);
    }
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}

/** GETs `url` within `limits`, following redirects; throws AssetFetchRefused or a network error. */
export async function fetchPublicUrl(url: string, limits: PublicFetchLimits): Promise<FetchedUrl> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new AssetFetchRefused(`${current.protocol} is not fetched`);
    const response = await requestOnce(current, limits, signal);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) {
      return { status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, body: await readLimited(response, limits.maxBytes) };
    }
    response.resume();
    if (redirects >= limits.maxRedirects) throw new AssetFetchRefused(`more than ${limits.maxRedirects} redirects`);
    current = new URL(location, current);
  }
}
