import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { batchBody, eventsMemberNow, eventsText, headMember, type BatchHeader } from '../../recorder/batchBody';
import { storedGzip } from '../../recorder/storedGzip';

const header: BatchHeader = {
  project: 'demo',
  sessionId: '0193a4c2-0000-7000-8000-000000000001',
  windowId: '0193a4c2-0000-7000-8000-000000000002',
  deviceId: 'device-1',
  seq: 3,
  sessionTimeoutMs: 1_800_000,
  userAgent: 'UA "quoted" é',
};
const events = ['{"type":4,"timestamp":1,"data":{"href":"https://x.test/é"}}', '{"type":3,"timestamp":2,"data":{}}'];

describe('batchBody', () => {
  it('inflates (as the server does, member after member) to the batch with this attempt’s send time', () => {
    const compressedOnce = gzipSync(eventsText(events));
    for (const sentAt of [1_000, 2_000]) {
      const batch = JSON.parse(gunzipSync(batchBody(headMember(header, sentAt, 0), compressedOnce)).toString('utf8'));
      expect(batch).toEqual({ ...header, sentAt, events: events.map((e) => JSON.parse(e)) });
    }
  });

  it('carries the drop count only when something was dropped', () => {
    const body = batchBody(headMember(header, 5, 7), gzipSync(eventsText(events)));
    expect(JSON.parse(gunzipSync(body).toString('utf8')).droppedBatches).toBe(7);
  });

  it('makes the same batch synchronously, uncompressed, for page hide', () => {
    const body = batchBody(headMember(header, 9, 0), eventsMemberNow(eventsText(events)));
    expect(JSON.parse(gunzipSync(body).toString('utf8')).events).toEqual(events.map((e) => JSON.parse(e)));
  });
});

describe('storedGzip', () => {
  it('inflates to its input across several 64 KB blocks, and when empty', () => {
    const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
    expect(gunzipSync(storedGzip(data)).equals(data)).toBe(true);
    expect(gunzipSync(storedGzip(new Uint8Array(0))).length).toBe(0);
  });
});
