/**
 * The events stream as stored (`Accept: application/vnd.replay.chunks`): per stored chunk, one
 * JSON header line `{ windowId, seq, bytes }` and then its `bytes` bytes, the batch JSON gzipped
 * as the server keeps it. The server inflates nothing; the reader decodes each chunk on its own,
 * so windows assemble as chunks arrive and a chunk that fails to decode costs only itself.
 */

/** The media type a reader asks for (Accept) and the server answers with. */
export const CHUNK_FRAMES_TYPE = 'application/vnd.replay.chunks';

/** What precedes each chunk's bytes. */
export interface ChunkHeader {
  windowId: string;
  seq: number;
  /** Length of the gzip bytes that follow the header line. */
  bytes: number;
  /** Set when a check found the chunk unreadable or misstated: its bytes are left out (0). */
  marked?: 'corrupt' | 'lying';
}

/** One chunk as framed: its header and its gzip bytes. */
export interface ChunkFrame {
  header: ChunkHeader;
  data: Uint8Array;
}

const NEWLINE = 0x0a;

/** The header line of a chunk of `bytes` bytes. */
export function frameHeader(windowId: string, seq: number, bytes: number, marked?: ChunkHeader['marked']): string {
  const header: ChunkHeader = marked ? { windowId, seq, bytes, marked } : { windowId, seq, bytes };
  return `${JSON.stringify(header)}\n`;
}

/** Splits the framed stream, fed in pieces as they arrive, into whole chunks. */
export class ChunkFrameReader {
  private buffered = new Uint8Array(0);
  private header: ChunkHeader | null = null;
  private readonly decoder = new TextDecoder();

  /** Takes the next piece of the stream; returns the chunks it completed, in order. */
  push(piece: Uint8Array): ChunkFrame[] {
    const joined = new Uint8Array(this.buffered.length + piece.length);
    joined.set(this.buffered);
    joined.set(piece, this.buffered.length);
    const frames: ChunkFrame[] = [];
    let at = 0;
    for (;;) {
      if (this.header === null) {
        const end = joined.indexOf(NEWLINE, at);
        if (end < 0) break;
        this.header = JSON.parse(this.decoder.decode(joined.subarray(at, end))) as ChunkHeader;
        at = end + 1;
      }
      if (joined.length - at < this.header.bytes) break;
      frames.push({ header: this.header, data: joined.slice(at, at + this.header.bytes) });
      at += this.header.bytes;
      this.header = null;
    }
    this.buffered = joined.slice(at);
    return frames;
  }

  /** Whether the stream ended between chunks, as a whole stream does. */
  get complete(): boolean {
    return this.header === null && this.buffered.length === 0;
  }
}
