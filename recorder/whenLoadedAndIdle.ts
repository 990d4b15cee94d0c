/** Runs optional work (loading a chunk) once the page has loaded and the browser is idle: never during the page's own loading. */
import { onIdle } from './idle';

/** Calls `work` once the page has loaded, at the next idle moment (see onIdle). */
export function whenLoadedAndIdle(work: () => void): void {
  if (document.readyState === 'complete') onIdle(work);
  else addEventListener('load', () => onIdle(work), { once: true });
}
