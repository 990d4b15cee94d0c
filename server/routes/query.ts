/** Query-string parsing shared by the read routes: 400 naming the first bad parameter. */
import { z } from 'zod';
import { isSignalKind, SIGNAL_KINDS, type SignalKind } from '../../shared/signals';
import { HttpError } from '../http';

const count = z.coerce.number().int().min(0);
/** ISO 8601 as Date.parse reads it reliably; Date.parse alone also takes text like "' OR '1'='1". */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A time as ms since the epoch or an ISO 8601 date. */
const time = z.string().transform((text, ctx) => {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : ISO_DATE.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(value)) ctx.addIssue({ code: 'custom', message: 'must be ms since the epoch or an ISO date' });
  return value;
});

/** A comma-separated list of signal kinds: `rage,dead`. */
const signals = z.string().transform((text, ctx) => {
  const kinds = text.split(',');
  if (!kinds.every(isSignalKind)) ctx.addIssue({ code: 'custom', message: `must list some of ${SIGNAL_KINDS.join(', ')}, comma-separated` });
  return [...new Set(kinds)] as SignalKind[];
});

/** The session filters every read route accepts (see SessionFilters). */
export const filterShape = {
  project: z.string().max(64).optional(),
  minLengthMs: count.optional(),
  maxLengthMs: count.optional(),
  from: time.optional(),
  to: time.optional(),
  userId: z.string().max(256).optional(),
  deviceId: z.string().max(64).optional(),
  url: z.string().min(1).max(2_048).optional(),
  event: z.string().min(1).max(256).optional(),
  hasErrors: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  status: z.enum(['live', 'concluded']).optional(),
  signal: signals.optional(),
};

/** Parses `query` with `schema`, or throws a 400 that names the parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'invalid_query', `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
