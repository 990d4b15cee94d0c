import { AuthError } from './api';

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

/** A message for a failed load, from an Error or anything else thrown; a 401 asks to sign in. */
export function errorBox(prefix: string, error: unknown): HTMLElement {
  if (error instanceof AuthError) {
    return el(
      'div',
      { class: 'notice sign-in', role: 'alert', 'data-testid': 'sign-in' },
      el('strong', {}, 'Please sign in. '),
      'Open the login link the server printed when it started (',
      el('code', {}, `${location.origin}/login?token=…`),
      '), then come back to this page.',
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return el('div', { class: 'error', role: 'alert' }, `${prefix}: ${message}`);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element, as `el` does for HTML. */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}
