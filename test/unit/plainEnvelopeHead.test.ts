/**
 * plainEnvelopeHead beside envelopeHeadSchema: every head it accepts, zod accepts and returns
 * equal; at each bound both accept the value at the limit and both refuse the one past it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SESSION_MS } from '../../shared/constants';
import { MAX_LABEL_CHARS, MAX_URL_CHARS, summarizeBatch, withoutDefaults, type BatchSummary } from '../../shared/summarizeBatch';
import { MAX_EVENTS_PER_BATCH } from '../../server/ingest/batchSchema';
import { envelopeHeadSchema } from '../../server/ingest/envelopeSchema';
import { plainEnvelopeHead } from '../../server/ingest/plainEnvelopeHead';
import { clickEvent, makeBatch, metaEvent, T0 } from '../helpers/batches';

type Head = Record<string, unknown> & { summary: Record<string, unknown> };

/** A head as the recorder sends it: every field, a page view, a span, a tracked name, an asset. */
function head(): Head {
  const { events, ...fields } = makeBatch({ events: [metaEvent(T0, 'https://shop.test/a'), clickEvent(T0 + 1_000)], droppedBatches: 2 });
  const summary = { ...summarizeBatch(events), userId: 'u-1', trackNames: ['signup'], signalTimes: [T0 + 1_000], assetHashes: ['a'.repeat(64)] };
  return JSON.parse(JSON.stringify({ ...fields, summary })) as Head;
}

/** `head()` changed by `change`, through JSON as a body would be. */
function changed(change: (h: Head) => void): unknown {
  const h = head();
  change(h);
  return JSON.parse(JSON.stringify(h));
}

function expectAgreement(value: unknown): { fast: boolean; zod: boolean } {
  const fast = plainEnvelopeHead(value);
  const zod = envelopeHeadSchema.safeParse(value);
  if (fast) {
    expect(zod.success).toBe(true);
    expect(fast).toEqual(zod.data);
  }
  return { fast: fast !== null, zod: zod.success };
}

const many = <T>(count: number, item: T): T[] => Array.from({ length: count }, () => item);

/** [what, change, accepted by both]: the value at each limit, and past it. */
const BOUNDS: [string, (h: Head) => void, boolean][] = [
  ['project at 64 chars', (h) => (h.project = 'p'.repeat(64)), true],
  ['project at 65 chars', (h) => (h.project = 'p'.repeat(65)), false],
  ['empty project', (h) => (h.project = ''), false],
  ['session id not a UUID', (h) => (h.sessionId = 'session'), false],
  ['window id not a UUID', (h) => (h.windowId = 42), false],
  ['device id at 64 chars', (h) => (h.deviceId = 'd'.repeat(64)), true],
  ['device id at 65 chars', (h) => (h.deviceId = 'd'.repeat(65)), false],
  ['device id with a space', (h) => (h.deviceId = 'a b'), false],
  ['seq 0', (h) => (h.seq = 0), true],
  ['seq -1', (h) => (h.seq = -1), false],
  ['seq 1.5', (h) => (h.seq = 1.5), false],
  ['seq as text', (h) => (h.seq = '1'), false],
  ['seq at the largest safe integer', (h) => (h.seq = Number.MAX_SAFE_INTEGER), true],
  ['sentAt 1', (h) => (h.sentAt = 1), true],
  ['sentAt 0', (h) => (h.sentAt = 0), false],
  ['timeout at 1 s', (h) => (h.sessionTimeoutMs = 1_000), true],
  ['timeout under 1 s', (h) => (h.sessionTimeoutMs = 999), false],
  ['timeout at the longest session', (h) => (h.sessionTimeoutMs = MAX_SESSION_MS), true],
  ['timeout past the longest session', (h) => (h.sessionTimeoutMs = MAX_SESSION_MS + 1), false],
  ['no user agent', (h) => delete h.userAgent, true],
  ['user agent at 1024 chars', (h) => (h.userAgent = 'u'.repeat(1_024)), true],
  ['user agent at 1025 chars', (h) => (h.userAgent = 'u'.repeat(1_025)), false],
  ['user agent a number', (h) => (h.userAgent = 5), false],
  ['no dropped batches', (h) => delete h.droppedBatches, true],
  ['dropped batches -1', (h) => (h.droppedBatches = -1), false],
  ['no summary', (h) => delete (h as Record<string, unknown>).summary, false],
  ['last before first', (h) => (h.summary.lastTs = (h.summary.firstTs as number) - 1), false],
  ['first equal to last', (h) => (h.summary.lastTs = h.summary.firstTs), true],
  ['no events', (h) => (h.summary.eventCount = 0), false],
  ['events at the most a batch holds', (h) => (h.summary.eventCount = MAX_EVENTS_PER_BATCH), true],
  ['events past it', (h) => (h.summary.eventCount = MAX_EVENTS_PER_BATCH + 1), false],
  ['error count -1', (h) => (h.summary.errorCount = -1), false],
  ['a span ending before it starts', (h) => (h.summary.spans = [[T0 + 5, T0]]), false],
  ['a span of three times', (h) => (h.summary.spans = [[T0, T0 + 1, T0 + 2]]), false],
  ['a span of one instant', (h) => (h.summary.spans = [[T0, T0]]), true],
  ['spans at the most', (h) => (h.summary.spans = many(MAX_EVENTS_PER_BATCH, [T0, T0 + 1])), true],
  ['spans past the most', (h) => (h.summary.spans = many(MAX_EVENTS_PER_BATCH + 1, [T0, T0 + 1])), false],
  ['url at its limit', (h) => (h.summary.pageViews = [{ at: T0, url: 'u'.repeat(MAX_URL_CHARS) }]), true],
  ['url past it', (h) => (h.summary.pageViews = [{ at: T0, url: 'u'.repeat(MAX_URL_CHARS + 1) }]), false],
  ['a page view with more', (h) => (h.summary.pageViews = [{ at: T0, url: 'u', title: 't' }]), false],
  ['a page view at time 0', (h) => (h.summary.pageViews = [{ at: 0, url: 'u' }]), false],
  ['no user id', (h) => (h.summary.userId = null), true],
  ['user id at its limit', (h) => (h.summary.userId = 'u'.repeat(MAX_LABEL_CHARS)), true],
  ['user id past it', (h) => (h.summary.userId = 'u'.repeat(MAX_LABEL_CHARS + 1)), false],
  ['a tracked name past the limit', (h) => (h.summary.trackNames = ['t'.repeat(MAX_LABEL_CHARS + 1)]), false],
  ['tracked names past the most', (h) => (h.summary.trackNames = many(MAX_EVENTS_PER_BATCH + 1, 't')), false],
  ['signals with more', (h) => (h.summary.signals = { rage: 0, dead: 0, error: 0, other: 1 }), false],
  ['rage clicks past the most', (h) => (h.summary.signals = { rage: MAX_EVENTS_PER_BATCH + 1, dead: 0, error: 0 }), false],
  ['a signal at time 0', (h) => (h.summary.signalTimes = [0]), false],
  ['an asset hash in capitals', (h) => (h.summary.assetHashes = ['A'.repeat(64)]), false],
  ['a summary with more', (h) => (h.summary.extra = 1), false],
];

describe('plainEnvelopeHead', () => {
  it('takes the recorder’s heads as zod returns them', () => {
    expect(expectAgreement(head())).toEqual({ fast: true, zod: true });
  });

  it.each(BOUNDS)('%s: the same verdict as zod', (_what, change, accepted) => {
    expect(expectAgreement(changed(change))).toEqual({ fast: accepted, zod: accepted });
  });

  it('takes the recorder’s compact heads, the fields at their default left out, filled in as zod fills them', () => {
    const compact = changed((h) => {
      h.summary = withoutDefaults({ ...(h.summary as unknown as BatchSummary), userId: null, trackNames: [], signalTimes: [], assetHashes: [], pageViews: [] });
    }) as Head;
    expect(Object.keys(compact.summary).sort()).toEqual(['eventCount', 'firstTs', 'lastTs', 'spans']);
    expect(expectAgreement(compact)).toEqual({ fast: true, zod: true });
    expect(plainEnvelopeHead(compact)?.summary).toEqual(expect.objectContaining({ assetHashes: [], signals: { rage: 0, dead: 0, error: 0 }, userId: null }));
    // Each request gets its own default arrays.
    expect(plainEnvelopeHead(compact)?.summary.assetHashes).not.toBe(plainEnvelopeHead(compact)?.summary.assetHashes);
  });

  it('leaves to zod what zod would measure or refuse: unknown head keys, user traits', () => {
    for (const value of [changed((h) => (h.extra = 1)), changed((h) => (h.summary.userTraits = { plan: 'pro' }))]) {
      expect(expectAgreement(value)).toEqual({ fast: false, zod: true });
    }
    for (const value of [null, [], 'head', changed((h) => (h.summary = [] as never))]) expect(expectAgreement(value)).toEqual({ fast: false, zod: false });
  });
});
