/** How a signal names the element clicked: a short CSS selector and its visible label. */

/** Longest label recorded, in characters. */
const MAX_LABEL_CHARS = 80;
/** Ancestors named in the selector, the element included. */
const SELECTOR_DEPTH = 4;

export interface TargetDescription {
  selector: string;
  label: string;
}

function step(element: Element): string {
  if (element.id) return `${element.localName}#${CSS.escape(element.id)}`;
  const classes = [...element.classList].slice(0, 2).map((name) => `.${CSS.escape(name)}`).join('');
  const parent = element.parentElement;
  const same = parent ? [...parent.children].filter((child) => child.localName === element.localName) : [];
  return `${element.localName}${classes}${same.length > 1 ? `:nth-of-type(${same.indexOf(element) + 1})` : ''}`;
}

function selectorOf(element: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = element; node && parts.length < SELECTOR_DEPTH; node = node.parentElement) {
    parts.unshift(step(node));
    if (node.id || node === document.body) break;
  }
  return parts.join(' > ');
}

function visibleText(element: Element): string {
  // A click on the page's background: its text is the whole page, no label.
  if (element === document.body || element === document.documentElement) return '';
  if (element instanceof HTMLInputElement) {
    return ['button', 'submit', 'reset'].includes(element.type) ? element.value : (element.getAttribute('aria-label') ?? '');
  }
  return element.getAttribute('aria-label') || (element as HTMLElement).innerText || element.getAttribute('title') || '';
}

/** Whether `element`, an ancestor or a descendant (whose text its label holds) matches `selector`. */
function touches(element: Element, selector: string): boolean {
  return element.closest(selector) !== null || element.querySelector(selector) !== null;
}

/**
 * Describes `element` for a signal. Its label is masked as rrweb records text: nothing from
 * a blocked element, asterisks for text under the mask selector.
 */
export function describeTarget(
  element: Element,
  { blockSelector, maskTextSelector }: { blockSelector?: string; maskTextSelector?: string },
): TargetDescription {
  const selector = selectorOf(element);
  if (blockSelector && touches(element, blockSelector)) return { selector, label: '' };
  const label = visibleText(element).replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_CHARS);
  const masked = maskTextSelector && touches(element, maskTextSelector);
  return { selector, label: masked ? label.replace(/\S/g, '*') : label };
}
