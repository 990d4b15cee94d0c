/**
 * Writes N generated sessions straight into a database file with the server's schema: 30 days,
 * 1 000 users on ~5 000 devices, a realistic length mix (a third bounces, the rest log-normal
 * around two minutes with a long tail, a few with idle gaps), 1–8 pages out of 200 URLs, some
 * tracked events, frustration signals on about one active session in ten. The triggers
 * maintain the length histogram exactly as ingest does.
 */
import { randomBytes } from 'node:crypto';
import { IDLE_GAP_MS, SESSION_TIMEOUT_MS } from '../shared/constants';
import { uuidv7 } from '../shared/uuid';
import { openDatabase } from '../server/storage/sqlite/openDatabase';
import { random } from '../test/helpers/random';

export const DAYS = 30;
const USERS = 1_000;
const DEVICES = 5_000;
const URLS = 200;
const DAY_MS = 86_400_000;

/** Generates `count` sessions ending before `endMs` into `file`. */
export function generateSessions(file: string, count: number, endMs: number): void {
  const rand = random(42);
  // Signals draw from their own sequence, so every other column is what it was before them.
  const signalRand = random(17);
  const signalCount = (share: number) => (signalRand() < share ? 1 + Math.floor(signalRand() * 3) : 0);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  const insertSession = db.prepare(`INSERT INTO sessions (id, project, device_id, user_id, user_agent, timeout_ms,
    clock_offset_ms, first_activity_at, last_activity_at, active_ms, event_count, error_count, bytes, pages, windows,
    entry_at, entry_url, exit_at, exit_url, created_at, idle_gaps, rage_clicks, dead_clicks, error_clicks, signal_times)
    VALUES (?, 'demo', ?, ?, 'bench-agent', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertUrl = db.prepare('INSERT INTO urls (id, url) VALUES (?, ?)');
  const insertPage = db.prepare('INSERT OR IGNORE INTO session_pages (url_id, session_id) VALUES (?, ?)');
  const insertEvent = db.prepare('INSERT OR IGNORE INTO session_events (name, session_id) VALUES (?, ?)');
  const startMs = endMs - DAYS * DAY_MS;
  const url = (i: number) => `https://shop.example/${i === 0 ? '' : i < 20 ? `category/${i}` : `product/${i}`}`;
  db.transaction(() => {
    for (let i = 0; i < URLS; i++) insertUrl.run(i + 1, url(i));
  })();

  // Each device gets sessions one after another, separated by more than the timeout.
  const perDevice = Math.ceil(count / DEVICES);
  const cycleMs = (DAYS * DAY_MS) / perDevice;
  let made = 0;
  const write = db.transaction((device: number) => {
    const deviceId = `device-${device}`;
    const userId = device % 5 === 4 ? null : `user-${device % USERS}`;
    const offset = Math.round(normal() * 2_000);
    let t = Math.round(startMs + rand() * cycleMs);
    for (let n = 0; n < perDevice && made < count; n++, made++) {
      const length = rand() < 0.33 ? 0 : Math.min(DAY_MS - 1, Math.round(Math.exp(Math.log(120_000) + 1.6 * normal())));
      const gaps: [number, number][] = [];
      if (length > 10 * IDLE_GAP_MS && rand() < 0.4) {
        const at = t + Math.round(length * (0.2 + 0.5 * rand()));
       gaps.push([at, at + Math.round(Math.min(length / 4, IDLE_GAP_MS + rand() * 20 * IDLE_GAP_MS))]);
      }
      const pages = 1 + Math.floor(rand() * rand() * 8);
      const entry = Math.floor(rand() * rand() * URLS);
      const exit = pages === 1 ? entry : Math.floor(rand() * URLS);
      const id = uuidv7(t, randomBytes(16));
      const [rage, dead, error] = length === 0 ? [0, 0, 0] : [signalCount(0.04), signalCount(0.06), signalCount(0.02)];
      const signalTimes = rage + dead + error > 0 ? JSON.stringify([t + Math.round(length * signalRand())]) : null;
      insertSession.run(id, deviceId, userId, SESSION_TIMEOUT_MS, offset, t, t + length, Math.round(length * 0.6),
        50 + Math.round(length / 200), rand() < 0.05 ? 1 : 0, 2_000 + Math.round(length / 20), pages, t, url(entry),
        t + length, url(exit), t + offset, gaps.length > 0 ? JSON.stringify(gaps) : null, rage, dead, error, signalTimes);
      insertPage.run(entry + 1, id);
      insertPage.run(exit + 1, id);
      for (let p = 2; p < pages; p++) insertPage.run(Math.floor(rand() * URLS) + 1, id);
      if (rand() < 0.1) insertEvent.run('checkout', id);
      t += length + SESSION_TIMEOUT_MS + 1 + Math.round(rand() * 2 * (cycleMs - SESSION_TIMEOUT_MS));
      if (t > endMs) t = Math.round(startMs + rand() * cycleMs);
    }
  });
  for (let device = 0; made < count; device++) write(device);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
