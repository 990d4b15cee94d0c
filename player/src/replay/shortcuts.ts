/** Keyboard shortcuts of the replay page: space, ←/→ (5 s), shift+←/→ (previous/next activity), n (next signal). */

/** What a shortcut does. */
export type Shortcut = 'toggle' | 'back' | 'forward' | 'previousActivity' | 'nextActivity' | 'nextSignal';

interface Keys {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The shortcut a key press means, if any. Pure. */
export function shortcutFor(keys: Keys): Shortcut | null {
  if (keys.ctrlKey || keys.metaKey || keys.altKey) return null;
  switch (keys.key) {
    case ' ':
      return keys.shiftKey ? null : 'toggle';
    case 'ArrowLeft':
      return keys.shiftKey ? 'previousActivity' : 'back';
    case 'ArrowRight':
      return keys.shiftKey ? 'nextActivity' : 'forward';
    case 'n':
    case 'N':
      return 'nextSignal';
    default:
      return null;
  }
}

/** Typing in a field keeps its keys. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** Listens on the document; returns the teardown. */
export function bindShortcuts(run: (shortcut: Shortcut) => void): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (isTyping(event.target)) return;
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    // Also keeps space from scrolling the page or pressing the focused button a second time.
    event.preventDefault();
    run(shortcut);
  };
  const onKeyUp = (event: KeyboardEvent): void => {
    // A focused button clicks on space's keyup; the keydown already toggled.
    if (event.key === ' ' && !isTyping(event.target)) event.preventDefault();
  };
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('keyup', onKeyUp);
  return () => {
    document.removeEventListener('keydown', onKeyDown);
    document.removeEventListener('keyup', onKeyUp);
  };
}
