/**
 * Frustration signals for the snippet's budget: only these listeners load with it. The rules
 * (watchSignals.ts, a chunk of its own) load at the first click, which they get with what
 * happened while they loaded; a page nobody clicks never downloads them. Errors and changes
 * before the first click cannot make a signal, so nothing is kept before it.
 */
import type { eventWithTime } from '@rrweb/types';
import { isPageChange } from '../shared/isPageChange';
import type { SignalPayload } from '../shared/signals';
import type { RecorderOptions } from './options';
import type { SignalWatch } from './watchSignals';

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
  // Null until the first click, then what happened until the rules arrived.
  let waiting: Happening[] | null = null;
  const feed = (happening: Happening) => {
    try {
      if (watch) return hand(watch, happening);
      if (waiting) return waiting.push(happening);
      if (happening[0] !== 'click') return;
      waiting = [happening];
      import('./watchSignals')
        .then(({ watchSignals }) => {
          if (!waiting) return;
          const loaded = watchSignals(options, report, onError);
          for (const early of waiting) hand(loaded, early);
          watch = loaded;
          waiting = null;
        })
        .catch(onError);
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
      waiting = null;
      removeEventListener('click', onClick, true);
      removeEventListener('error', onPageError);
      removeEventListener('unhandledrejection', onPageError);
    },
  };
}
