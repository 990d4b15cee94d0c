/** The length-distribution histogram: one SVG bar per bucket of `GET /api/stats`. */
import type { DistributionBucket } from '../../../shared/api';
import { svgEl } from '../dom';
import { formatCount } from '../format';
import { niceScale } from './niceScale';

/** Height of both charts' SVG, so they line up side by side. */
export const CHART_HEIGHT_PX = 190;

/** An empty chart of the shared height, described for screen readers and tests. */
export function chartSvg(width: number, label: string, testId: string): SVGSVGElement {
  return svgEl('svg', {
    width,
    height: CHART_HEIGHT_PX,
    viewBox: `0 0 ${width} ${CHART_HEIGHT_PX}`,
    class: 'chart',
    role: 'img',
    'aria-label': label,
    'data-testid': testId,
  });
}
const PAD = { top: 18, right: 8, bottom: 34, left: 36 };
/** Past this many bars not every label fits; every n-th is shown. */
const MAX_LABELS = 12;

/** Rough width of one character of an 11-px tick label. */
const CHAR_PX = 6.2;

/** A label that does not fit its bar's slot goes on two lines: `10–30` over `min`. */
function labelLines(label: string, slotPx: number): [string, string] {
  const space = label.lastIndexOf(' ');
  if (label.length * CHAR_PX <= slotPx - 4 || space < 0) return [label, ''];
  return [label.slice(0, space), label.slice(space + 1)];
}

/** Draws `buckets` into `container`, sized to its current width. */
export function drawHistogram(container: HTMLElement, buckets: readonly DistributionBucket[]): void {
  const width = Math.max(240, container.clientWidth);
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = CHART_HEIGHT_PX - PAD.top - PAD.bottom;
  const scale = niceScale(Math.max(0, ...buckets.map((b) => b.count)), 4, true);
  const y = (count: number): number => PAD.top + plotHeight - (count / scale.max) * plotHeight;
  const svg = chartSvg(width, 'Sessions by length', 'histogram');

  for (let tick = 0; tick <= scale.max; tick += scale.step) {
    svg.append(
      svgEl('line', { x1: PAD.left, x2: width - PAD.right, y1: y(tick), y2: y(tick), class: tick === 0 ? 'axis' : 'grid' }),
      svgEl('text', { x: PAD.left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, formatCount(tick)),
    );
  }

  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(2, Math.min(56, slot * 0.72));
  const labelEvery = Math.ceil(buckets.length / MAX_LABELS);
  buckets.forEach((bucket, i) => {
    const center = PAD.left + slot * (i + 0.5);
    const top = y(bucket.count);
    const bar = svgEl(
      'rect',
      {
        x: center - barWidth / 2,
        y: top,
        width: barWidth,
        height: Math.max(0, PAD.top + plotHeight - top),
        rx: 2,
        class: 'bar',
        'data-testid': 'bar',
        'data-label': bucket.label,
        'data-count': bucket.count,
      },
      svgEl('title', {}, `${bucket.label}: ${formatCount(bucket.count)} ${bucket.count === 1 ? 'session' : 'sessions'}`),
    );
    svg.append(bar);
    if (bucket.count > 0) {
      svg.append(svgEl('text', { x: center, y: top - 5, class: 'value', 'text-anchor': 'middle' }, formatCount(bucket.count)));
    }
    if (i % labelEvery === 0) {
      const [value, unit] = labelLines(bucket.label, slot * labelEvery);
      const baseline = PAD.top + plotHeight + 14;
      svg.append(
        svgEl(
          'text',
          { x: center, y: baseline, class: 'tick', 'text-anchor': 'middle' },
          svgEl('tspan', { x: center }, value),
          svgEl('tspan', { x: center, dy: 12 }, unit),
        ),
      );
    }
  });
  container.replaceChildren(svg);
}
