/**
 * What the network capture keeps of a request: nothing for the replay server's own requests,
 * sensitive headers redacted always, bodies only when the site opted in (and then redacted).
 */
import type { NetworkRequest } from '@rrweb/types';
import type { RecorderOptions } from './options';
import { REDACTED, redactBody } from './redactBody';

/** Headers whose values never leave the page, whatever the options. */
const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

function redactHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return headers;
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    clean[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return clean;
}

/** The request as recorded, or undefined for the replay server's own requests (never recorded). */
export function redactRequest(
  request: NetworkRequest,
  options: Pick<RecorderOptions, 'ingestUrl' | 'networkBodies' | 'networkBodyMaxChars'>,
): NetworkRequest | undefined {
  if (request.name.startsWith(options.ingestUrl)) return undefined;
  const body = (text: string | null | undefined) => (options.networkBodies ? redactBody(text, options.networkBodyMaxChars) : undefined);
  return {
    ...request,
    requestHeaders: redactHeaders(request.requestHeaders),
    responseHeaders: redactHeaders(request.responseHeaders),
    requestBody: body(request.requestBody),
    responseBody: body(request.responseBody),
  };
}
