/**
 * A peer for the overhead benchmark: posthog-js with session recording on, sending to the
 * `data-api-host` of its tag (bench/peerSink.ts, which also answers its remote config and
 * serves its lazily loaded recorder). Autocapture and page views are off, so only recording
 * traffic flows; masking is posthog's default (inputs masked, text not), as our snippet's.
 */
import posthog from 'posthog-js';

const apiHost = (document.currentScript as HTMLScriptElement).dataset.apiHost;
posthog.init('phc_bench', {
  api_host: apiHost,
  autocapture: false,
  capture_pageview: false,
  capture_pageleave: false,
  disable_session_recording: false,
  disable_surveys: true,
  // Headless Chromium's user agent reads as a bot's, whose events posthog drops.
  opt_out_useragent_filter: true,
});
