/**
 * The recorder's own failures (rrweb on odd DOM, storage, compression) never reach the host
 * page: each is counted, the first is written to the console once, and the first few are
 * recorded as `$recorder_error` custom events carrying the running count.
 */

/** Errors recorded as events per page; past this only the count grows (a broken DOM may fail per mutation). */
const MAX_RECORDED_ERRORS = 10;

export type ReportError = (error: unknown) => void;

/** A reporter that records through `record`, which may itself fail (or not exist yet). */
export function createErrorReporter(record: (payload: { count: number; message: string }) => void): ReportError {
  let count = 0;
  let reporting = false;
  return (error) => {
    count++;
    if (count === 1) console.warn('[session-replay] recording error, recording goes on:', error);
    // Recording the error may fail the same way: no loop.
    if (reporting || count > MAX_RECORDED_ERRORS) return;
    reporting = true;
    try {
      record({ count, message: String((error as Error)?.message ?? error).slice(0, 500) });
    } catch {
      // Nothing left to report to.
    } finally {
      reporting = false;
    }
  };
}
