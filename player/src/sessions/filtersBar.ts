/** The filter form above the sessions table: date range, length range, user, URL, errors, frustration. */
import { el } from '../dom';
import { DEFAULT_FILTERS, DEFAULT_VIEW, hasFilters, type ErrorsFilter, type Range, type SessionsView, type SignalFilter, type ViewFilters } from './sessionsView';

type Filters = ViewFilters;

/** The filter form, as the sessions page drives it. */
export interface FiltersBar {
  element: HTMLElement;
  /** Puts a view's values into the fields (after a load or a reset). */
  show(view: SessionsView): void;
}

/** Typing waits this long for a pause before the table reloads. */
const TYPING_DELAY_MS = 400;

const RANGE_LABELS: [Range, string][] = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['all', 'All time'],
  ['custom', 'Custom dates'],
];

const field = (label: string, ...controls: HTMLElement[]): HTMLElement =>
  el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), ...controls);

function secondsOrNull(input: HTMLInputElement): number | null {
  const n = input.value.trim() === '' ? NaN : Number(input.value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Builds the form; `onChange` gets the filter part of the view whenever a field settles. */
export function createFiltersBar(onChange: (filters: Filters) => void): FiltersBar {
  const range = el('select', { name: 'range', 'data-testid': 'filter-range' });
  range.append(...RANGE_LABELS.map(([value, label]) => el('option', { value }, label)));
  const fromDay = el('input', { type: 'date', name: 'from', 'aria-label': 'From day', 'data-testid': 'filter-from' });
  const toDay = el('input', { type: 'date', name: 'to', 'aria-label': 'To day', 'data-testid': 'filter-to' });
  const minLength = el('input', {
    type: 'number', name: 'minLength', min: '0', step: 'any', placeholder: 'min', 'aria-label': 'Minimum length in seconds',
    'data-testid': 'filter-min-length',
  });
  const maxLength = el('input', {
    type: 'number', name: 'maxLength', min: '0', step: 'any', placeholder: 'max', 'aria-label': 'Maximum length in seconds',
    'data-testid': 'filter-max-length',
  });
  const user = el('input', { type: 'search', name: 'user', placeholder: 'user id', 'data-testid': 'filter-user' });
  const url = el('input', { type: 'search', name: 'url', placeholder: 'part of a URL', title: 'Sessions that visited a URL containing this text', 'data-testid': 'filter-url' });
  const errors = el('select', { name: 'errors', 'data-testid': 'filter-errors' });
  errors.append(
    el('option', { value: 'any' }, 'Any'),
    el('option', { value: 'with' }, 'With'),
    el('option', { value: 'without' }, 'Without'),
  );
  const signal = el('select', { name: 'signal', 'data-testid': 'filter-signal' });
  signal.append(
    el('option', { value: 'any' }, 'Any'),
    el('option', { value: 'frustrated' }, 'Any signal'),
    el('option', { value: 'rage' }, 'Rage click'),
    el('option', { value: 'dead' }, 'Dead click'),
    el('option', { value: 'error' }, 'Error click'),
  );
  const clear = el('button', { type: 'button', class: 'button button-quiet', 'data-testid': 'filter-clear' }, 'Clear');

  const read = (): Filters => {
    const custom = fromDay.value !== '' || toDay.value !== '';
    const chosen = range.value as Range;
    return {
      range: custom ? 'custom' : chosen === 'custom' ? DEFAULT_VIEW.range : chosen,
      fromDay: fromDay.value || null,
      toDay: toDay.value || null,
      minLengthS: secondsOrNull(minLength),
      maxLengthS: secondsOrNull(maxLength),
      user: user.value.trim(),
      url: url.value.trim(),
      errors: errors.value as ErrorsFilter,
      signal: signal.value as SignalFilter,
    };
  };
  const apply = (): void => {
    window.clearTimeout(typing);
    onChange(read());
  };
  let typing = 0;
  const applySoon = (): void => {
    window.clearTimeout(typing);
    typing = window.setTimeout(apply, TYPING_DELAY_MS);
  };

  // The day fields take room only when they are in use.
  const customDays = el('span', { class: 'custom-days' }, fromDay, el('span', { class: 'muted' }, '–'), toDay);
  range.addEventListener('change', () => {
    customDays.hidden = range.value !== 'custom';
    // A preset replaces custom days; "Custom dates" waits for the days to be picked.
    if (range.value !== 'custom') {
      fromDay.value = '';
      toDay.value = '';
      apply();
    } else {
      fromDay.focus();
    }
  });
  for (const input of [fromDay, toDay, errors, signal]) input.addEventListener('change', apply);
  for (const input of [minLength, maxLength, user, url]) {
    input.addEventListener('input', applySoon);
    input.addEventListener('change', apply);
  }
  clear.addEventListener('click', () => onChange({ ...DEFAULT_FILTERS }));

  const form = el(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': 'Filter sessions' },
    field('Date', range, customDays),
    field('Length (s)', minLength, el('span', { class: 'muted' }, '–'), maxLength),
    field('User', user),
    field('URL', url),
    field('Errors', errors),
    field('Signal', signal),
    clear,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });

  return {
    element: form,
    show(view) {
      // The field being typed in keeps its text: "1." must not turn into "1" under the cursor.
      const set = (control: HTMLInputElement | HTMLSelectElement, value: string): void => {
        if (control !== document.activeElement) control.value = value;
      };
      set(range, view.range);
      set(fromDay, view.fromDay ?? '');
      set(toDay, view.toDay ?? '');
      set(minLength, view.minLengthS === null ? '' : String(view.minLengthS));
      set(maxLength, view.maxLengthS === null ? '' : String(view.maxLengthS));
      set(user, view.user);
      set(url, view.url);
      set(errors, view.errors);
      set(signal, view.signal);
      customDays.hidden = range.value !== 'custom';
      clear.disabled = !hasFilters(view);
    },
  };
}
