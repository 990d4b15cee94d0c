/**
 * rrweb's canvas recording, a chunk of its own: only pages that record canvases download it.
 * The snippet's build makes record.js export it (build/rrwebRecordPatches.ts); elsewhere this
 * is undefined, and record() uses the one it has.
 */
export { CanvasManager } from '@rrweb/record';

declare module '@rrweb/record' {
  /** rrweb's canvas manager class, exported by the snippet's build only. */
  export const CanvasManager: (new (options: never) => unknown) | undefined;
}
