/**
 * The schema constants both SQL dialects use (the length-bucket ladder, the 15-minute slot, the
 * idle gap) come from the TypeScript that reads them, and the ladder holds every edge shown.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IDLE_GAP_MS } from '../../shared/constants';
import { LENGTH_BUCKET_EDGES, SLOT_MS } from '../../shared/lengthSource';
import { DEFAULT_BUCKETS, pow2Buckets } from '../../server/stats/buckets';
import { withConstants } from '../../server/storage/migrationFiles';

const migration = (file: string) =>
  withConstants(fs.readFileSync(new URL(`../../server/storage/${file}`, import.meta.url), 'utf8'));
const SQLITE = migration('sqlite/migrations/002_analytics.sql');
const POSTGRES = migration('postgres/migrations/001_schema.sql');

/** The lower edges of the length buckets a migration's CASE assigns, in order. */
function ladder(text: string): number[] {
  const edges = [...text.matchAll(/WHEN length_ms < \d+ THEN (\d+)/g)].map((match) => Number(match[1]));
  return [...edges, Number(/ELSE (\d+) END/.exec(text)?.[1])];
}

/** The numbers a migration takes start times modulo, to find their slot. */
const slotWidths = (text: string) => [...text.matchAll(/% (\d+)\)? (?:VIRTUAL|STORED)/g)].map((match) => Number(match[1]));

describe('schema constants', () => {
  it('holds every edge the statistics show in the length-bucket ladder', () => {
    const top = LENGTH_BUCKET_EDGES[LENGTH_BUCKET_EDGES.length - 1];
    const shown = [...DEFAULT_BUCKETS, ...pow2Buckets(top - 1)].flatMap((b) => [b.fromMs, b.toMs ?? 0]);
    for (const ms of shown.filter((edge) => edge <= top)) expect(LENGTH_BUCKET_EDGES).toContain(ms);
  });

  it('gives both databases the ladder, slot width and idle gap of the TypeScript', () => {
    for (const sql of [SQLITE, POSTGRES]) {
      expect(ladder(sql)).toEqual(LENGTH_BUCKET_EDGES);
      expect(slotWidths(sql)).toEqual([SLOT_MS]);
      expect(sql).not.toContain('{{');
    }
    expect([...SQLITE.matchAll(/start_ts - before > (\d+)/g)].map((match) => Number(match[1]))).toEqual([IDLE_GAP_MS]);
  });

  it('refuses a migration naming a constant there is none of', () => {
    expect(() => withConstants('SELECT {{NO_SUCH}}')).toThrow(/NO_SUCH/);
  });
});
