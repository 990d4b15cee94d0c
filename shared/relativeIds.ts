/**
 * A reversible rewrite of a batch's JSON text that gzip compresses far better. rrweb gives every
 * node it adds a fresh id, so a list rendered again (TodoMVC's, on each change) is new text each
 * time: its `id`, `parentId` and `nextId` have all moved, and gzip's matches break every few
 * bytes. Written relative to the last node id seen, those ids read the same each time (`~1`,
 * `~-1`, …), so a re-render costs gzip a few back-references. Ids further than 63 from the last
 * one (a long-lived container's) stay absolute: they are the same each time already. Each
 * `timestamp` is written relative to the previous one.
 *
 * Nothing marks an encoded batch: `~` cannot start a JSON value, and decoding plain JSON gives it
 * back unchanged, so every reader decodes every batch, and one that does not fails to parse
 * rather than misreading ids. The state starts afresh in each batch: each chunk decodes alone.
 */

/**
 * The relative form of `text` (a batch's JSON, or its events part). Self-contained, with no
 * reference outside itself: the recorder's compression worker runs its source text.
 */
export function encodeRelativeIds(text: string): string {
  let lastId = 0;
  let lastTime = 0;
  // An integer of up to 15 digits, the whole number (not the start of a longer one, a fraction
  // or an exponent), so that its value is exact and decoding finds the same places.
  return text.replace(/"(id|parentId|nextId|previousId|timestamp)":(\d{1,15})(?![\d.eE])/g, (match, key: string, digits: string) => {
    const value = Number(digits);
    if (key === 'timestamp') {
      const delta = value - lastTime;
      lastTime = value;
      return `"timestamp":~${delta}`;
    }
    const delta = value - lastId;
    if (key === 'id') lastId = value;
    return delta > -64 && delta < 64 ? `"${key}":~${delta}` : match;
  });
}

/**
 * `text` with its relative ids and timestamps made absolute again; plain JSON comes back as it
 * was. Throws a RangeError when a value leaves the safe integers (no recorder writes that) or
 * the text would grow past `maxLength`, the reader's inflate limit.
 */
export function decodeRelativeIds(text: string, maxLength: number): string {
  let lastId = 0;
  let lastTime = 0;
  let length = text.length;
  return text.replace(/"(id|parentId|nextId|previousId|timestamp)":(~-?)?(\d{1,15})(?![\d.eE])/g, (match, key: string, relative: string | undefined, digits: string) => {
    const isTime = key === 'timestamp';
    const delta = relative === '~-' ? -Number(digits) : Number(digits);
    const value = relative ? delta + (isTime ? lastTime : lastId) : delta;
    if (!Number.isSafeInteger(value)) throw new RangeError(`relative ${key} out of range`);
    if (isTime) lastTime = value;
    else if (key === 'id') lastId = value;
    if (!relative) return match;
    const absolute = `"${key}":${value}`;
    length += absolute.length - match.length;
    if (length > maxLength) throw new RangeError('decoded batch grows past the limit');
    return absolute;
  });
}
