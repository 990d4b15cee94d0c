/** The snippet build (recorder.js): exposes window.SessionReplay and starts from the tag's data-* options. */
import * as SessionReplay from './index';
import { optionsFromScript } from './options';

declare global {
  interface Window {
    SessionReplay: typeof SessionReplay;
  }
}

// currentScript is only set while this file first runs, so it is read right away.
const script = (document.currentScript ??
  document.querySelector('script[src*="recorder.js"][data-project]')) as HTMLScriptElement | null;

window.SessionReplay = SessionReplay;
if (script?.dataset.project) SessionReplay.init(optionsFromScript(script));
