/** The framed events stream splits into whole chunks however the network cuts it. */
import { expect, it } from 'vitest';
import { ChunkFrameReader, frameHeader } from '../../shared/chunkFrames';

const chunk = (windowId: string, seq: number, bytes: number[]) => [...Buffer.from(frameHeader(windowId, seq, bytes.length)), ...bytes];

it('reads back every chunk, fed whole, byte by byte or in uneven pieces', () => {
  // Bytes that look like a header's newline and braces inside a chunk's data must not confuse it.
  const stream = Uint8Array.from([...chunk('w1', 0, [0x1f, 0x8b, 0x0a, 0x7b]), ...chunk('w1', 1, []), ...chunk('w2', 0, [0x0a, 0x0a])]);
  const expected = [
    { header: { windowId: 'w1', seq: 0, bytes: 4 }, data: Uint8Array.from([0x1f, 0x8b, 0x0a, 0x7b]) },
    { header: { windowId: 'w1', seq: 1, bytes: 0 }, data: new Uint8Array(0) },
    { header: { windowId: 'w2', seq: 0, bytes: 2 }, data: Uint8Array.from([0x0a, 0x0a]) },
  ];
  for (const size of [stream.length, 1, 3, 7]) {
    const reader = new ChunkFrameReader();
    const frames = [];
    for (let at = 0; at < stream.length; at += size) frames.push(...reader.push(stream.subarray(at, at + size)));
    expect({ size, frames, complete: reader.complete }).toEqual({ size, frames: expected, complete: true });
  }
});

it('tells a stream cut in the middle of a chunk', () => {
  const reader = new ChunkFrameReader();
  expect(reader.push(Uint8Array.from(chunk('w1', 0, [1, 2, 3]).slice(0, -1)))).toEqual([]);
  expect(reader.complete).toBe(false);
});
