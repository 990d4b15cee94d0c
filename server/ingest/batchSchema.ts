/** The ingest batch schema: anything that fails it is refused with the failing field named. */
import { z } from 'zod';
import { MAX_SESSION_MS } from '../../shared/constants';
import { UUID_PATTERN } from '../../shared/uuid';

/** Most events one batch may carry. */
export const MAX_EVENTS_PER_BATCH = 20_000;

const id = z.string().regex(UUID_PATTERN, 'must be a UUID');

export const batchSchema = z.object({
  project: z.string().min(1).max(64),
  sessionId: id,
  windowId: id,
  deviceId: z.string().regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sentAt: z.number().int().positive(),
  sessionTimeoutMs: z.number().int().min(1_000).max(MAX_SESSION_MS),
  userAgent: z.string().max(1_024).optional(),
  droppedBatches: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  events: z
    .array(z.looseObject({ type: z.number().int().min(0).max(100), timestamp: z.number().int().positive(), data: z.unknown() }))
    .min(1)
    .max(MAX_EVENTS_PER_BATCH),
});

/** Formats the first schema issue as `field.path: message`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`;
}
