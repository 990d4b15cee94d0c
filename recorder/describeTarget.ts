/**
 * How a signal names the element clicked: a short selector and its visible label. Kept to a
 * few hundred bytes, as the snippet's budget asks: the selector is for people to read (tag,
 * id or first class, three levels), not for querying.
 */

/** Longest label recorded, in characters. */
const MAX_LABEL_CHARS = 80;
/** Elements named in the selector, the clicked one included. */
const SELECTOR_DEPTH = 3;

function selectorOf(element: Element): string {
  const steps: string[] = [];
  for (let node: Element | null = element; node && steps.length < SELECTOR_DEPTH; node = node.parentElement) {
    steps.unshift(node.localName + (node.id ? `#${node.id}` : node.classList[0] ? `.${node.classList[0]}` : ''));
    if (node.id) break;
  }
  return steps.join(' > ');
}

function visibleText(element: Element): string {
  // A click on the page's background: its text is the whole page, no label.
  if (element === document.body || element === document.documentElement) return '';
  if (element instanceof HTMLInputElement) return /^(button|submit|reset)$/.test(element.type) ? element.value : '';
  return (element as HTMLElement).innerText || element.getAttribute('aria-label') || '';
}

/** Whether `element`, an ancestor or a descendant (whose text its label holds) matches `selector`. */
function touches(element: Element, selector: string | undefined): boolean {
  return !!selector && !!(element.closest(selector) || element.querySelector(selector));
}

/**
 * Describes `element` for a signal. Its label is masked as rrweb records text: nothing from
 * a blocked element, asterisks for text under the mask selector.
 */
export function describeTarget(
  element: Element,
  { blockSelector, maskTextSelector }: { blockSelector?: string; maskTextSelector?: string },
): { selector: string; label: string } {
  const label = touches(element, blockSelector) ? '' : visibleText(element).replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_CHARS);
  return { selector: selectorOf(element), label: touches(element, maskTextSelector) ? label.replace(/\S/g, '*') : label };
}
