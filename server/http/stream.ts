/** Writing long answers in constant memory. */
import type { Response } from 'express';

/** Resolves when the response can take more, or is gone (a client that left never drains). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes `text` (or bytes) and waits for the socket to drain when its buffer is full; false once the
 * client has gone, so the caller stops producing.
 */
export async function writeText(res: Response, text: string | Buffer): Promise<boolean> {
  if (!res.write(text)) await drained(res);
  return !res.destroyed;
}
