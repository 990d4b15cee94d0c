type Child = Node | string;

/**
 * Creates an element with attributes and children. Children are text or nodes, never HTML:
 * URLs and user ids come from recorded sites and must not inject markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A message for a failed load, from an Error or anything else thrown. */
export function errorBox(prefix: string, error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return el('div', { class: 'error', role: 'alert' }, `${prefix}: ${message}`);
}
