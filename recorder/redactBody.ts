/**
 * Request and response bodies, when a site opts in to recording them: values of fields whose
 * names look secret are replaced, and what is left is cut at a size cap.
 */

/** Field names whose values never leave the page. */
const SECRET_FIELD = /pass(word|wd)?|secret|token|auth|api[-_]?key|session|cookie|card|cvc|cvv|ssn|pin$/i;
export const REDACTED = '[redacted]';

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_FIELD.test(key) ? REDACTED : redactJson(inner)]),
    );
  }
  return value;
}

function redactForm(text: string): string | null {
  if (!/^[^=&\s{}[\]"]+=[^&]*(&[^=&]+=[^&]*)*$/.test(text)) return null;
  const params = new URLSearchParams(text);
  for (const key of new Set(params.keys())) if (SECRET_FIELD.test(key)) params.set(key, REDACTED);
  return params.toString();
}

/** The body as recorded: secret-looking fields redacted (JSON or form-encoded), at most `maxChars`. */
export function redactBody(body: string | null | undefined, maxChars: number): string | null | undefined {
  if (typeof body !== 'string') return body;
  let text = body;
  try {
    text = JSON.stringify(redactJson(JSON.parse(body)));
  } catch {
    text = redactForm(body) ?? body;
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}… [${text.length - maxChars} more characters]` : text;
}
