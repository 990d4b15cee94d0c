/**
 * Frustration signals: these listeners start with the recorder, the rules (watchSignals.ts) at
 * the first click, so a page nobody clicks never runs them. Errors and changes before the first
 * click cannot make a signal, so nothing is kept before it.
 */
import type { eventWithTime } from '@rrweb/types';
import { isPageChange } from '../shared/isPageChange';
import type { SignalPayload } from '../shared/signals';
import type { RecorderOptions } from './options';
import { watchSignals, type SignalWatch } from './watchSignals';

/** A click, an error or a change of the page, at its time. */
type Happening = [kind: 'click' | 'error' | 'change', event: unknown, at: number];

function hand(to: SignalWatch, [kind, event, at]: Happening): void {
  if (kind === 'change') to.change(at);
  else if (kind === 'click') to.click(event as MouseEvent, at);
  else to.error(event as ErrorEvent, at);
}

/** Listens from now on; the recorder hands every recorded event to `seen`. */
export function startSignals(
  options: RecorderOptions,
  report: (payload: SignalPayload) => void,
  onError: (error: unknown) => void,
): { seen(event: eventWithTime): void; stop(): void } {
  let watch: SignalWatch | undefined;
  let stopped = false;
  const feed = (happening: Happening) => {
    try {
      if (!watch && (stopped || happening[0] !== 'click')) return;
      watch ??= watchSignals(options, report, onError);
      hand(watch, happening);
    } catch (error) {
      onError(error);
    }
  };
  const onClick = (event: Event) => feed(['click', event, Date.now()]);
  const onPageError = (event: Event) => feed(['error', event, Date.now()]);
  addEventListener('click', onClick, true);
  addEventListener('error', onPageError);
  addEventListener('unhandledrejection', onPageError);
  return {
    seen: (event) => {
      if (isPageChange(event)) feed(['change', null, event.timestamp]);
    },
    stop() {
      watch?.stop();
      stopped = true;
      removeEventListener('click', onClick, true);
      removeEventListener('error', onPageError);
      removeEventListener('unhandledrejection', onPageError);
    },
  };
}
