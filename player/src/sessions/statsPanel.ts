/** The sessions page's header figures and its two charts, drawn from one `GET /api/stats` answer. */
import type { SessionStats, StatsBuckets } from '../../../shared/api';
import { el, errorBox } from '../dom';
import { formatCount, formatDuration, formatShare } from '../format';
import { drawHistogram } from '../charts/histogram';
import { drawPerDay } from '../charts/perDayChart';

/** The statistics beside the table: figures, histogram, sessions per day. */
export interface StatsPanel {
  element: HTMLElement;
  /** Shows figures and charts; the buckets toggle follows `buckets`. */
  show(stats: SessionStats, buckets: StatsBuckets): void;
  fail(error: unknown): void;
}

const BUCKET_CHOICES: [StatsBuckets, string, string][] = [
  ['default', 'Standard', 'PostHog’s buckets: 0 s, 0–3 s, 3–10 s … 1 h+'],
  ['pow2', 'Powers of 2', 'Buckets doubling in width'],
];

function figure(testId: string, label: string): { element: HTMLElement; set(value: string, note: string): void } {
  const value = el('div', { class: 'figure-value', 'data-testid': testId }, '—');
  const note = el('div', { class: 'figure-note' }, '\u00a0');
  return {
    element: el('div', { class: 'figure card' }, el('div', { class: 'figure-label' }, label), value, note),
    set(text, noteText) {
      value.textContent = text;
      note.textContent = noteText || '\u00a0';
    },
  };
}

function chartCard(title: string, aside: HTMLElement, box: HTMLElement): HTMLElement {
  return el('div', { class: 'card chart-card' }, el('div', { class: 'card-head' }, el('h2', {}, title), aside), box);
}

/** Builds the panel; `onBuckets` runs when the viewer picks other histogram buckets. */
export function createStatsPanel(onBuckets: (buckets: StatsBuckets) => void): StatsPanel {
  const count = figure('stat-count', 'Sessions');
  const average = figure('stat-average', 'Average length');
  const median = figure('stat-median', 'Median length');
  const total = figure('stat-total', 'Total length');
  const frustrated = figure('stat-frustrated', 'Frustrated sessions');

  const toggle = el('div', { class: 'segmented', role: 'group', 'aria-label': 'Histogram buckets' });
  const toggleButtons = BUCKET_CHOICES.map(([value, label, title]) => {
    const button = el('button', { type: 'button', 'data-buckets': value, title, 'aria-pressed': 'false' }, label);
    button.addEventListener('click', () => onBuckets(value));
    return button;
  });
  toggle.append(...toggleButtons);

  const histogramBox = el('div', { class: 'chart-box' });
  const perDayBox = el('div', { class: 'chart-box' });
  const legend = el(
    'div',
    { class: 'legend' },
    el('span', { class: 'legend-bar' }, 'Sessions'),
    el('span', { class: 'legend-line' }, 'Total length'),
  );
  const element = el(
    'section',
    { class: 'stats', 'aria-label': 'Statistics' },
    el('div', { class: 'figures' }, count.element, average.element, median.element, total.element, frustrated.element),
    el(
      'div',
      { class: 'charts' },
      chartCard('Length distribution', toggle, histogramBox),
      chartCard('Per day', legend, perDayBox),
    ),
  );

  let last: SessionStats | null = null;
  const draw = (): void => {
    if (!last) return;
    drawHistogram(histogramBox, last.distribution);
    if (last.perDay.length > 0) drawPerDay(perDayBox, last.perDay);
    else perDayBox.replaceChildren(el('p', { class: 'chart-empty muted' }, 'Pick a date range to see sessions per day.'));
  };
  // Charts are drawn at their box's pixel width (crisp text); a new width redraws them.
  let drawnWidth = 0;
  new ResizeObserver(() => {
    if (histogramBox.clientWidth === drawnWidth) return;
    drawnWidth = histogramBox.clientWidth;
    draw();
  }).observe(histogramBox);

  return {
    element,
    show(stats, buckets) {
      last = stats;
      const duration = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));
      count.set(formatCount(stats.count), stats.under1mShare === null ? '' : `${formatShare(stats.under1mShare)} under 1 min`);
      average.set(duration(stats.averageMs), '');
      median.set(duration(stats.medianMs), stats.p90Ms === null ? '' : `p90 ${formatDuration(stats.p90Ms)}`);
      total.set(formatDuration(stats.totalMs), '');
      frustrated.set(stats.frustratedShare === null ? '—' : formatShare(stats.frustratedShare), 'rage, dead or error clicks');
      for (const button of toggleButtons) button.setAttribute('aria-pressed', String(button.dataset.buckets === buckets));
      drawnWidth = histogramBox.clientWidth;
      draw();
    },
    fail(error) {
      last = null;
      for (const f of [count, average, median, total, frustrated]) f.set('—', '');
      histogramBox.replaceChildren(errorBox('Could not load statistics', error));
      perDayBox.replaceChildren();
    },
  };
}
