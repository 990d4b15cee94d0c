/** The session filters every read route accepts in its query string. */
import { z } from 'zod';
import { SIGNAL_KINDS, type SignalKind } from '../../shared/signals';

const count = z.coerce.number().int().min(0);
/** ISO 8601 as Date.parse reads it reliably; Date.parse alone also takes text like "' OR '1'='1". */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A time as ms since the epoch or an ISO 8601 date. */
const time = z.string().transform((text, ctx) => {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : ISO_DATE.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(value)) ctx.addIssue({ code: 'custom', message: 'must be ms since the epoch or an ISO date' });
  return value;
});

const SIGNAL_KIND = `(${SIGNAL_KINDS.join('|')})`;

/** A comma-separated list of signal kinds, `rage,dead`; the pattern shows in the OpenAPI document. */
const signals = z
  .string()
  .regex(new RegExp(`^${SIGNAL_KIND}(,${SIGNAL_KIND})*$`), `must list some of ${SIGNAL_KINDS.join(', ')}, comma-separated`)
  .transform((text) => [...new Set(text.split(','))] as SignalKind[]);

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
