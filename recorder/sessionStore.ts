/**
 * Browser storage at the edge: the shared session (localStorage, so tabs share it), the
 * device id, and this tab's window id and sequence counter (sessionStorage). Storage may be
 * full, disabled or throwing; every access falls back to memory and never throws.
 */
import type { SessionState } from '../shared/session';

/** The session as tabs share it; `sampled` says whether it is recorded at all. */
export interface StoredSession extends SessionState {
  sampled: boolean;
}

const memory = new Map<string, string>();

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(storage: () => Storage, key: string, value: string): void {
  memory.set(key, value);
  try {
    storage().setItem(key, value);
  } catch {
    // Private mode or a full quota: memory keeps this tab consistent.
  }
}

const local = () => window.localStorage;
const perTab = () => window.sessionStorage;

/** The session shared by this browser's tabs for `project`, or null. */
export function loadSession(project: string): StoredSession | null {
  try {
    const value = JSON.parse(read(local, `sr:${project}:session`) ?? 'null') as StoredSession | null;
    return value && typeof value.id === 'string' && Number.isFinite(value.lastActivityAt) ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(project: string, session: StoredSession): void {
  write(local, `sr:${project}:session`, JSON.stringify(session));
}

/** The anonymous device id, created on first use. */
export function loadDeviceId(newId: () => string): string {
  let id = read(local, 'sr:device');
  if (!id) {
    id = newId();
    write(local, 'sr:device', id);
  }
  return id;
}

/**
 * This tab's window id. It survives reloads (sessionStorage), but a duplicated tab copies
 * sessionStorage, so a flag set while a page is open tells a copy from a reload.
 */
export function loadWindowId(newId: () => string): string {
  let id = read(perTab, 'sr:window');
  if (!id || read(perTab, 'sr:window-open') === '1') {
    id = newId();
    write(perTab, 'sr:window', id);
    write(perTab, 'sr:seq', '0');
  }
  write(perTab, 'sr:window-open', '1');
  addEventListener('pagehide', () => write(perTab, 'sr:window-open', '0'));
  addEventListener('pageshow', () => write(perTab, 'sr:window-open', '1'));
  return id;
}

/** Takes this window's next batch sequence number; it continues across reloads of the tab. */
export function nextSeq(): number {
  const seq = Number(read(perTab, 'sr:seq') ?? 0) || 0;
  write(perTab, 'sr:seq', String(seq + 1));
  return seq;
}
