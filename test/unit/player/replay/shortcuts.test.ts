import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../../../player/src/replay/shortcuts';

describe('keyboard shortcuts', () => {
  const key = (k: string, mods: Partial<Record<'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
    shortcutFor({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

  it('maps space and the arrows, with shift for activity, and leaves browser shortcuts alone', () => {
    expect([key(' '), key('ArrowLeft'), key('ArrowRight')]).toEqual(['toggle', 'back', 'forward']);
    expect([key('ArrowLeft', { shiftKey: true }), key('ArrowRight', { shiftKey: true })]).toEqual(['previousActivity', 'nextActivity']);
    expect([key('ArrowLeft', { metaKey: true }), key('ArrowRight', { altKey: true }), key('a')]).toEqual([null, null, null]);
  });
});
