/**
 * Network capture, a chunk of its own (with its redaction), downloaded only by pages whose
 * snippet says data-network. It imports nothing the main script has: a chunk that did would
 * import recorder.js as a module, a second copy.
 */
import { getRecordNetworkPlugin } from '@rrweb/rrweb-plugin-network-record';
import type { RecordPlugin } from '@rrweb/types';
import type { RecorderOptions } from './options';
import { redactBody } from './redactBody';

/** Headers whose values never leave the page, whatever the options. */
const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

function redact(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return headers;
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    clean[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return clean;
}

/** rrweb's network plugin with our redaction: requests to the replay server are never recorded. */
export function createNetworkPlugin(options: RecorderOptions): RecordPlugin {
  const body = (text: string | null | undefined) => redactBody(text, options.networkBodyMaxChars);
  return getRecordNetworkPlugin({
    // Headers are recorded only so the plugin wraps fetch/XHR and learns each request's
    // method; sensitive ones are redacted below. Bodies only when the site asked for them.
    recordHeaders: true,
    recordBody: options.networkBodies,
    transformRequestFn: (request) =>
      request.name.startsWith(options.ingestUrl)
        ? undefined
        : {
            ...request,
            requestHeaders: redact(request.requestHeaders),
            responseHeaders: redact(request.responseHeaders),
            requestBody: options.networkBodies ? body(request.requestBody) : undefined,
            responseBody: options.networkBodies ? body(request.responseBody) : undefined,
          },
  }) as RecordPlugin;
}

