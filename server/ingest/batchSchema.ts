/** The ingest batch schema: anything that fails it is refused with the failing field named. */
import { z } from 'zod';
import { MAX_SESSION_MS } from '../../shared/constants';
import { UUID_PATTERN } from '../../shared/uuid';

/** Most events one batch may carry. */
export const MAX_EVENTS_PER_BATCH = 20_000;

const id = z.string().regex(UUID_PATTERN, 'must be a UUID');
/** A device id: what the recorder makes, or a site's own. */
export const DEVICE_ID_PATTERN = /^[\w-]{1,64}$/;
/** Longest project name and user agent. */
export const MAX_PROJECT_CHARS = 64;
export const MAX_USER_AGENT_CHARS = 1_024;
/** Shortest session timeout a batch may state. */
export const MIN_SESSION_TIMEOUT_MS = 1_000;

export const batchSchema = z.object({
  project: z.string().min(1).max(MAX_PROJECT_CHARS),
  sessionId: id,
  windowId: id,
  deviceId: z.string().regex(DEVICE_ID_PATTERN, 'must be 1-64 letters, digits, _ or -'),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sentAt: z.number().int().positive(),
  sessionTimeoutMs: z.number().int().min(MIN_SESSION_TIMEOUT_MS).max(MAX_SESSION_MS),
  userAgent: z.string().max(MAX_USER_AGENT_CHARS).optional(),
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
