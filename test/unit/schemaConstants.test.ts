/**
 * The constants both SQL dialects spell out in their migrations (the length-bucket ladder, the
 * 15-minute slot, the idle gap) against each other and against the TypeScript that reads them.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IDLE_GAP_MS } from '../../shared/constants';
import { SLOT_MS } from '../../shared/lengthSource';
import { DEFAULT_BUCKETS, pow2Buckets } from '../../server/stats/buckets';

const sql = (file: string) => fs.readFileSync(new URL(`../../server/storage/${file}`, import.meta.url), 'utf8');
const SQLITE = sql('sqlite/migrations/002_analytics.sql');
const POSTGRES = sql('postgres/migrations/001_schema.sql');

/** The lower edges of the length buckets a migration's CASE assigns, in order. */
function ladder(text: string): number[] {
  const edges = [...text.matchAll(/WHEN length_ms < \d+ THEN (\d+)/g)].map((match) => Number(match[1]));
  const last = /ELSE (\d+) END/.exec(text);
  return [...edges, Number(last?.[1])];
}

/** The numbers a migration takes start times modulo, to find their slot. */
const slotWidths = (text: string) => [...text.matchAll(/% (\d+)\)? (?:VIRTUAL|STORED)/g)].map((match) => Number(match[1]));

describe('schema constants', () => {
  it('gives both databases the same length-bucket ladder, holding every edge the statistics show', () => {
    const edges = ladder(SQLITE);
    expect(edges.length).toBeGreaterThan(20);
    expect(ladder(POSTGRES)).toEqual(edges);
    const top = edges[edges.length - 1];
    const shown = [...DEFAULT_BUCKETS, ...pow2Buckets(top - 1)].flatMap((b) => [b.fromMs, b.toMs ?? 0]).filter((ms) => ms <= top);
    for (const ms of shown) expect(edges).toContain(ms);
  });

  it('slots start times by SLOT_MS in both databases', () => {
    expect(slotWidths(SQLITE)).toEqual([SLOT_MS]);
    expect(slotWidths(POSTGRES)).toEqual([SLOT_MS]);
  });

  it('keeps the idle gaps of existing sessions from IDLE_GAP_MS, as ingest does', () => {
    expect([...SQLITE.matchAll(/start_ts - before > (\d+)/g)].map((match) => Number(match[1]))).toEqual([IDLE_GAP_MS]);
  });
});
