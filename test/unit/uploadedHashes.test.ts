import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUploaded, saveUploaded, UPLOADED_MEMORY_MAX, UPLOADED_MEMORY_MS } from '../../recorder/assets/uploadedHashes';

const SERVER = 'https://replay.test/api/';
const NOW = 1_800_000_000_000;

/** localStorage as the browser has it, for node. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

beforeEach(() => {
  globalThis.localStorage = memoryStorage();
});
afterEach(() => {
  delete (globalThis as { localStorage?: Storage }).localStorage;
});

describe('uploadedHashes', () => {
  it('remembers hashes per server for an hour', () => {
    saveUploaded(SERVER, ['a', 'b'], NOW);
    expect([...loadUploaded(SERVER, NOW + UPLOADED_MEMORY_MS - 1).keys()]).toEqual(['a', 'b']);
    expect(loadUploaded(SERVER, NOW + UPLOADED_MEMORY_MS).size).toBe(0);
    expect(loadUploaded('https://other.test/api/', NOW).size).toBe(0);
  });

  it('keeps the newest when full', () => {
    saveUploaded(SERVER, ['old'], NOW);
    saveUploaded(SERVER, Array.from({ length: UPLOADED_MEMORY_MAX }, (_, i) => `h${i}`), NOW + 1);
    const kept = loadUploaded(SERVER, NOW + 2);
    expect(kept.size).toBe(UPLOADED_MEMORY_MAX);
    expect(kept.has('old')).toBe(false);
  });

  it('never throws when storage fails', () => {
    globalThis.localStorage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(() => saveUploaded(SERVER, ['a'], NOW)).not.toThrow();
    globalThis.localStorage.getItem = () => 'not json';
    expect(loadUploaded(SERVER, NOW).size).toBe(0);
  });
});
