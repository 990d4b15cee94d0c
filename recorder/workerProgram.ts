/**
 * The whole program of the recorder's worker (workerJobs.ts starts it), which compresses the
 * batches and makes the recorder's requests (batches, the asset capture's): starting a request
 * costs the main thread 1–2 ms in Chromium. It runs from a blob: URL (a worker script must be
 * same-origin with the page, and recorder.js is not), so it is written self-contained: its
 * source text is what the worker runs, given `encode` (shared/relativeIds.ts, likewise
 * self-contained), which rewrites each batch's ids so that gzip compresses it better, and
 * `eventsText` (batchBody.ts), which joins a batch's serialised events into the text to compress.
 */
export function workerProgram(encode: (text: string) => string, eventsText: (eventsJson: readonly string[]) => string): void {
  const scope = self as unknown as {
    onmessage: (event: MessageEvent<{ id: number; eventsJson?: readonly string[]; url?: string; init?: RequestInit }>) => void;
    postMessage(message: unknown, transfer?: Transferable[]): void;
  };
  const encoder = new TextEncoder();
  scope.onmessage = async ({ data }) => {
    if (data.url) {
      // Answered with the whole response (the asset capture reads bodies); without a status when no answer came.
      try {
        const response = await fetch(data.url, data.init);
        // A Blob: its bytes stay in the browser's blob store rather than on either thread's heap, cloned by reference.
        return scope.postMessage({ id: data.id, status: response.status, headers: [...response.headers], body: await response.blob() });
      } catch {
        return scope.postMessage({ id: data.id });
      }
    }
    // A message without events is the start-up probe: this page allows workers.
    if (data.eventsJson === undefined) return scope.postMessage({ id: data.id });
    try {
      const stream = new Blob([encoder.encode(encode(eventsText(data.eventsJson)))]).stream().pipeThrough(new CompressionStream('gzip'));
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      scope.postMessage({ id: data.id, bytes }, [bytes.buffer]);
    } catch {
      scope.postMessage({ id: data.id });
    }
  };
}
