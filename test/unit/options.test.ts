import { describe, expect, it } from 'vitest';
import { MAX_SESSION_MS, SESSION_TIMEOUT_MS } from '../../shared/constants';
import { ingestUrlFor, resolveOptions } from '../../recorder/options';

const PAGE = 'https://shop.test/cart?x=1';

describe('resolveOptions', () => {
  it('applies the contract defaults', () => {
    expect(resolveOptions({ project: 'demo' }, PAGE)).toEqual({
      project: 'demo',
      ingestUrl: 'https://shop.test/api/ingest',
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      maxSessionMs: MAX_SESSION_MS,
      console: false,
      network: false,
      maskInputs: true,
      blockSelector: undefined,
      maskTextSelector: undefined,
      networkBodies: false,
      networkBodyMaxChars: 4_096,
      sampleRate: 1,
      captureAssets: 'styles',
      recordCanvas: false,
      canvasFps: 2,
    });
  });

  it('captures stylesheets unless told all or none, and records canvases only when asked', () => {
    expect(resolveOptions({ project: 'demo', captureAssets: 'all' }, PAGE).captureAssets).toBe('all');
    expect(resolveOptions({ project: 'demo', captureAssets: 'none' }, PAGE).captureAssets).toBe('none');
    expect(resolveOptions({ project: 'demo', captureAssets: 'bogus' as 'all' }, PAGE).captureAssets).toBe('styles');
    expect(resolveOptions({ project: 'demo', recordCanvas: true, canvasFps: 500 }, PAGE)).toMatchObject({ recordCanvas: true, canvasFps: 30 });
  });

  it('records bodies only when asked to, with network capture on, within the cap', () => {
    expect(resolveOptions({ project: 'demo', networkBodies: true }, PAGE).networkBodies).toBe(false);
    const on = resolveOptions({ project: 'demo', network: true, networkBodies: true, networkBodyMaxChars: 10_000_000 }, PAGE);
    expect(on).toMatchObject({ networkBodies: true, networkBodyMaxChars: 65_536 });
  });

  it.each([
    [{ sessionTimeoutMs: 5 }, 'sessionTimeoutMs', 1_000],
    [{ sessionTimeoutMs: Number.NaN }, 'sessionTimeoutMs', SESSION_TIMEOUT_MS],
    [{ maxSessionMs: 10 * MAX_SESSION_MS }, 'maxSessionMs', MAX_SESSION_MS],
    [{ sampleRate: 7 }, 'sampleRate', 1],
    [{ sampleRate: -1 }, 'sampleRate', 0],
  ] as const)('clamps %o', (input, key, expected) => {
    expect(resolveOptions({ project: 'demo', ...input }, PAGE)[key]).toBe(expected);
  });

  it('never lets the timeout exceed the maximum session length', () => {
    expect(resolveOptions({ project: 'demo', maxSessionMs: 60_000 }, PAGE).sessionTimeoutMs).toBe(60_000);
  });

  it('refuses to start without a project', () => {
    expect(() => resolveOptions({ project: '' }, PAGE)).toThrow('project');
  });
});

describe('ingestUrlFor', () => {
  it.each([
    ['https://replay.test', 'https://replay.test/api/ingest'],
    ['https://replay.test/', 'https://replay.test/api/ingest'],
    ['https://example.test/replay/', 'https://example.test/replay/api/ingest'],
    ['https://replay.test/api/ingest', 'https://replay.test/api/ingest'],
    ['/replay', 'https://shop.test/replay/api/ingest'],
  ])('%s → %s', (endpoint, expected) => {
    expect(ingestUrlFor(endpoint, PAGE)).toBe(expected);
  });
});
