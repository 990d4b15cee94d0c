/**
 * rrweb's canvas recording, a chunk of its own: only pages that record canvases download it.
 * The snippet's build makes record.js export it (build/rrwebRecordPatches.ts); elsewhere (the
 * `./recorder` export in a site's own bundler) both exports are undefined, and record() uses
 * what it has.
 */
import * as rrweb from '@rrweb/record';

/**
 * rrweb's CanvasManager class, where record.js exports it. Read off the namespace: a bundler
 * fails on a named import that a module lacks, but only warns of such a read.
 */
export const CanvasManager = (rrweb as { CanvasManager?: new (options: never) => unknown }).CanvasManager;

/** What rrweb's snapshot does for a canvas (its pixels as a data URL), where record.js exports it. */
export const snapshotCanvas = (rrweb as { snapshotCanvas?: (...args: never) => void }).snapshotCanvas;
