/**
 * Network capture, a chunk of its own (with its redaction), downloaded only by pages whose
 * snippet says data-network. It imports nothing the main script has: a chunk that did would
 * import recorder.js as a module, a second copy.
 */
import { getRecordNetworkPlugin } from '@rrweb/rrweb-plugin-network-record';
import type { RecordPlugin } from '@rrweb/types';
import type { RecorderOptions } from './options';
import { redactRequest } from './redactRequest';

/** rrweb's network plugin with our redaction: requests to the replay server are never recorded. */
export function createNetworkPlugin(options: RecorderOptions): RecordPlugin {
  return getRecordNetworkPlugin({
    // Headers are recorded only so the plugin wraps fetch/XHR and learns each request's
    // method; sensitive ones are redacted (redactRequest.ts). Bodies only when the site asked for them.
    recordHeaders: true,
    recordBody: options.networkBodies,
    transformRequestFn: (request) => redactRequest(request, options),
  }) as RecordPlugin;
}
