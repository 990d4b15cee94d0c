/**
 * The orchestrator: rrweb events → session rules → batches → transport. Every event is
 * checked against the shared session: activity extends it (or starts a new one, with a
 * fresh full snapshot so the new session replays on its own); anything else joins it only
 * while it is live.
 */
import type { eventWithTime } from '@rrweb/types';
import { BATCH_INTERVAL_MS, CUSTOM_EVENT, MAX_USER_ID_LENGTH } from '../shared/constants';
import { applyActivity, isActivity, isExpired, type SessionRules } from '../shared/session';
import { uuidv7 } from '../shared/uuid';
import { Batcher, type CutBatch } from './batcher';
import { LocalBatchStore, openIdbBatchStore } from './batchStore';
import { createWorkerJobs } from './workerJobs';
import { deflatedEnvelopeBody, envelopeBody, summarize, withoutCapturedCss } from './envelopeBody';
import { createErrorReporter } from './errorReporter';
import type { RecorderOptions } from './options';
import { Persistence } from './persistence';
import { loadDeviceId, loadSession, loadWindowId, nextSeq, saveSession, type StoredSession } from './sessionStore';
import { createSender } from './sender';
import { onIdle } from './idle';
import { startRecording } from './startRecording';
import { Transport } from './transport';
import { watchPage } from './watchPage';
import { startSignals } from './startSignals';
import { holdWindowLock } from './windowLocks';

export interface Recorder {
  identify(userId: string, traits?: Record<string, unknown>): void;
  track(name: string, props?: Record<string, unknown>): void;
  getSessionId(): string | null;
  /** Resolves once the server acknowledged every event recorded so far. */
  flush(): Promise<void>;
  stop(): void;
}

/**
 * Longest the shared session's last activity may lag this tab's: clicks, scrolls, typing and
 * mouse moves make several activity events a second, and writing each to localStorage
 * (synchronous, across processes) was the recorder's largest cost of its own on TodoMVC; one
 * read and write a second still cost ~2 ms a TodoMVC run. A tenth of the timeout (so another
 * tab may see the session expire a tenth early at most), and no more than this: 0.3 % of the
 * default 30 minutes.
 */
const SHARE_EVERY_MAX_MS = 5_000;

const newId = () => uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16)));

/** Starts recording this page under `options`. */
export function createRecorder(options: RecorderOptions): Recorder {
  const rules: SessionRules = { timeoutMs: options.sessionTimeoutMs, maxSessionMs: options.maxSessionMs };
  const shareEveryMs = Math.min(options.sessionTimeoutMs / 10, SHARE_EVERY_MAX_MS);
  const deviceId = loadDeviceId(newId);
  const windowId = loadWindowId(newId);
  const reportError = createErrorReporter((payload) => recording.addCustomEvent(CUSTOM_EVENT.recorderError, payload));
  holdWindowLock(windowId);
  // The page's fetch is taken before rrweb's network plugin wraps it, so our own requests are never recorded.
  const worker = createWorkerJobs(window.fetch.bind(window));
  const transport = new Transport({
    send: createSender(options.ingestUrl, worker.fetch),
    project: options.project,
    windowId,
    persistence: new Persistence(openIdbBatchStore(), new LocalBatchStore()),
    compress: worker.compress,
    clock: { now: Date.now, random: Math.random },
    // In recorder.js rather than a chunk loaded after the page: what a page downloads in all is
    // what counts (issue 14), and a chunk of its own would carry its own copy of the shared code.
    envelopes: { withoutCapturedCss, summarize, envelopeBody, deflatedEnvelopeBody },
    onError: reportError,
  });
  const batcher = new Batcher(reportError);
  let session: StoredSession | null = null;
  let identity: { userId: string; traits?: Record<string, unknown> } | null = null;
  let snapshotting = false;
  let stopped = false;
  let started = false;
  let serialising = false;
  let lastTimestamp = 0;

  /** When this tab last wrote its activity to the shared storage (epoch ms: 0 is long ago). */
  let sharedAt = 0;

  /** The session an event at `now` belongs to, as all tabs see it; null when none is live. */
  const resolveSession = (now: number, activity: boolean): StoredSession | null => {
    // A session live for this tab is live for all: another tab starts a new one only once the
    // shared session expired, and the shared last activity lags ours by shareEveryMs at most.
    // So only activity (which must be shared, every shareEveryMs) and an apparently expired
    // session need the storage.
    if (session && !isExpired(session, now, rules) && (!activity || now - sharedAt < shareEveryMs)) {
      if (activity) session.lastActivityAt = Math.max(session.lastActivityAt, now);
      return session;
    }
    const stored = loadSession(options.project);
    const base =
      stored && session && stored.id === session.id
        ? { ...stored, lastActivityAt: Math.max(stored.lastActivityAt, session.lastActivityAt) }
        : (stored ?? session);
    if (!activity) return base && !isExpired(base, now, rules) ? base : null;
    const next = applyActivity(base, now, rules, newId);
    const resolved = next.started
      ? { ...next.state, sampled: Math.random() < options.sampleRate }
      : { ...next.state, sampled: base?.sampled ?? true };
    sharedAt = now;
    saveSession(options.project, resolved);
    return resolved;
  };

  /**
   * Shares the activity the throttle held back, when the page may be going away. It only
   * raises the shared session's last activity: another tab's newer session is left alone, and
   * no session starts here.
   */
  const shareHeldActivity = () => {
    if (!session || session.lastActivityAt <= sharedAt) return;
    const stored = loadSession(options.project);
    if (stored && stored.id !== session.id) return;
    sharedAt = session.lastActivityAt;
    saveSession(options.project, { ...(stored ?? session), lastActivityAt: Math.max(stored?.lastActivityAt ?? 0, session.lastActivityAt) });
  };

  const send = (batch: CutBatch | null): Promise<void> => {
    if (!batch) return Promise.resolve();
    return transport.enqueue(
      {
        project: options.project,
        sessionId: batch.sessionId,
        windowId,
        deviceId,
        seq: nextSeq(),
        // No userAgent: the request's own User-Agent header says the same, without the bytes.
        sessionTimeoutMs: options.sessionTimeoutMs,
      },
      batch.eventsJson,
    );
  };

  /** Serialises waiting events at idle time, a batch going out once it reaches the size cap. */
  const serialiseWhenIdle = () => {
    if (serialising || !batcher.hasRaw) return;
    serialising = true;
    onIdle((hasTime) => {
      serialising = false;
      void send(batcher.serialise(hasTime));
      serialiseWhenIdle();
    });
  };

  const push = (event: eventWithTime) => {
    if (!session?.sampled) return;
    lastTimestamp = Math.max(lastTimestamp, event.timestamp);
    void send(batcher.add(session.id, event));
    serialiseWhenIdle();
  };

  const onEvent = (event: eventWithTime) => {
    if (stopped) return;
    signals.seen(event);
    if (snapshotting) return push(event);
    const activity = isActivity(event);
    const next = resolveSession(event.timestamp, activity);
    if (!next) return;
    const switched = next.id !== session?.id;
    session = next;
    if (switched) {
      void send(batcher.cut());
      snapshotting = true;
      try {
        recording.takeFullSnapshot();
      } finally {
        snapshotting = false;
      }
      if (identity) recording.addCustomEvent(CUSTOM_EVENT.identify, identity);
      // The snapshot already holds whatever a mutation changed; only activity is kept.
      if (!activity) return;
      // Keeps the window's stream ordered: the snapshot was taken after the event fired.
      event.timestamp = Math.max(event.timestamp, lastTimestamp);
    }
    push(event);
  };

  // The page view itself is activity: resolve the session before rrweb's first snapshot, so
  // that snapshot belongs to it and no second one is needed.
  session = resolveSession(Date.now(), true);
  snapshotting = true;
  const signals = startSignals(options, (payload) => recording.addCustomEvent(CUSTOM_EVENT.signal, payload), reportError);
  const recording = startRecording(options, onEvent, reportError, () => (started = true), worker.fetch);
  snapshotting = false;
  const stopWatching = watchPage({
    onPageView: (href) => recording.addCustomEvent(CUSTOM_EVENT.pageview, { href }),
    onActivity: (kind) => recording.addCustomEvent(CUSTOM_EVENT.activity, { kind }),
  });
  // A large event still being written stays for the next batch (its idle calls go on meanwhile).
  const timer = setInterval(() => onIdle((hasTime) => void send(batcher.serialise(hasTime, true))), BATCH_INTERVAL_MS);
  // The page may be going away: what waits goes out with keepalive, which outlives the page.
  const onPageHide = () => {
    shareHeldActivity();
    void send(batcher.cut());
    transport.sendAllKeepalive();
  };
  // A hidden tab may never be seen again (mobile browsers discard them without pagehide).
  const onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') onPageHide();
    else transport.resetHide();
  };
  addEventListener('pagehide', onPageHide);
  document.addEventListener('visibilitychange', onVisibilityChange);

  return {
    identify(userId, traits) {
      identity = { userId: String(userId).slice(0, MAX_USER_ID_LENGTH), traits };
      recording.addCustomEvent(CUSTOM_EVENT.identify, identity);
    },
    track(name, props) {
      recording.addCustomEvent(CUSTOM_EVENT.track, { name: String(name), props });
    },
    getSessionId: () => (started && session && !isExpired(session, Date.now(), rules) ? session.id : null),
    flush() {
      void send(batcher.cut());
      return transport.idle();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      recording.stop();
      stopWatching();
      signals.stop();
      clearInterval(timer);
      removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibilityChange);
      transport.stop();
      void send(batcher.cut());
    },
  };
}
