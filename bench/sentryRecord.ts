/**
 * A peer for the overhead benchmark: Sentry's session replay as its docs set it up (the
 * compression worker on, every session sampled), sending to the DSN in the tag's `data-dsn`.
 * Text is left unmasked and inputs masked, as our snippet does by default, so both record the
 * same content; error tracking's default integrations are off, so only replay traffic flows.
 */
import { getReplay, init, replayIntegration } from '@sentry/browser';

const dsn = (document.currentScript as HTMLScriptElement).dataset.dsn;
init({
  dsn,
  defaultIntegrations: false,
  integrations: [replayIntegration({ maskAllText: false, maskAllInputs: true, blockAllMedia: false })],
  replaysSessionSampleRate: 1,
});
/** The bench's end of session: what is buffered leaves now rather than at the next flush. */
(window as unknown as { __benchFlush: () => Promise<void> }).__benchFlush = async () => {
  await getReplay()?.flush();
};
