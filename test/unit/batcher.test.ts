import { describe, expect, it } from 'vitest';
import { Batcher } from '../../recorder/batcher';
import { BATCH_MAX_BYTES } from '../../shared/constants';

describe('Batcher', () => {
  it('cuts nothing until asked, then everything waiting', () => {
    const batcher = new Batcher();
    expect(batcher.cut()).toBeNull();
    expect(batcher.add('s1', '{"a":1}')).toBeNull();
    expect(batcher.add('s1', '{"a":2}')).toBeNull();
    expect(batcher.cut()).toEqual({ sessionId: 's1', eventsJson: ['{"a":1}', '{"a":2}'], bytes: 14 });
    expect(batcher.cut()).toBeNull();
  });

  it('hands back the previous session’s events when the session changes', () => {
    const batcher = new Batcher();
    batcher.add('s1', '1');
    expect(batcher.add('s2', '2')).toEqual({ sessionId: 's1', eventsJson: ['1'], bytes: 1 });
    expect(batcher.cut()).toEqual({ sessionId: 's2', eventsJson: ['2'], bytes: 1 });
  });

  it('cuts a batch as soon as it reaches the size cap', () => {
    const batcher = new Batcher();
    const half = 'x'.repeat(BATCH_MAX_BYTES / 2);
    expect(batcher.add('s1', half)).toBeNull();
    const full = batcher.add('s1', half);
    expect(full?.eventsJson).toHaveLength(2);
    expect(batcher.cut()).toBeNull();
  });
});
