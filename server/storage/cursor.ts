/** Opaque keyset-pagination cursors: the last row's sort value and id, base64url JSON. */

export interface Cursor {
  value: number;
  id: string;
}

/** Encodes the position after a row. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

/** Decodes a cursor from a query string; null when it is not one this server made. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isFinite(parsed[0]) && typeof parsed[1] === 'string') {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through: any undecodable text is simply not a cursor.
  }
  return null;
}
