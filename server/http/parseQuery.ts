/** Query-string parsing for the read routes: strict, 400 naming the first bad or unknown parameter. */
import { z } from 'zod';
import { HttpError } from './errors';

/**
 * Parses `query` with `schema`, or throws a 400 that names the parameter. The schema should be
 * a `z.strictObject`: a misspelt filter (`?hasError=true`) is refused rather than ignored, which
 * would answer every session.
 */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new HttpError(400, 'invalid_query', `${issue.keys.join(', ')}: unknown parameter`);
    }
    throw new HttpError(400, 'invalid_query', `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
