/** CSV rows (RFC 4180) that a spreadsheet opens as data, never as formulas. */
import type { SessionSummary } from '../../shared/api';

/** The export's columns, in order. */
export const CSV_COLUMNS = [
  'id',
  'project',
  'startedAt',
  'endedAt',
  'lengthMs',
  'activeMs',
  'userId',
  'deviceId',
  'pages',
  'windows',
  'entryUrl',
  'exitUrl',
  'eventCount',
  'errorCount',
  'rageClicks',
  'deadClicks',
  'errorClicks',
  'status',
] as const satisfies readonly (keyof SessionSummary)[];

/**
 * One cell. User ids and URLs come from visitors' browsers: a leading =, +, - or @ would run
 * as a formula in a spreadsheet, so such text gets a leading apostrophe (OWASP's advice).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function sessionCsvLine(session: SessionSummary): string {
  return csvLine(CSV_COLUMNS.map((column) => session[column]));
}
