/**
 * A gzip member whose deflate data is "stored" (RFC 1951 §3.2.4: not compressed), made
 * synchronously with no library: for the small head of each body, and for events that must
 * leave on page hide before the browser's asynchronous CompressionStream could finish.
 */

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Longest stored deflate block (its length field is 16 bits). */
const BLOCK_BYTES = 0xffff;

/** `data` as one gzip member, uncompressed: 18 bytes plus 5 per 64 KB over the data itself. */
export function storedGzip(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / BLOCK_BYTES));
  const out = new Uint8Array(10 + data.length + blocks * 5 + 8);
  const view = new DataView(out.buffer);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  let at = 10;
  for (let block = 0; block < blocks; block++) {
    const chunk = data.subarray(block * BLOCK_BYTES, (block + 1) * BLOCK_BYTES);
    out[at] = block === blocks - 1 ? 1 : 0;
    view.setUint16(at + 1, chunk.length, true);
    view.setUint16(at + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  view.setUint32(at, crc32(data), true);
  view.setUint32(at + 4, data.length >>> 0, true);
  return out;
}
