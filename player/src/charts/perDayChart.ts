/** Sessions per day (bars, left axis) and their total length (line, right axis), as SVG. */
import type { DayStats } from '../../../shared/api';
import { svgEl } from '../dom';
import { formatCount, formatDay, formatDuration, formatDurationShort } from '../format';
import { chartSvg, CHART_HEIGHT_PX } from './histogram';
import { durationScale, niceScale } from './niceScale';

const PAD = { top: 14, right: 52, bottom: 22, left: 36 };
/** Day labels are about this wide; fewer are drawn when the days are narrower. */
const LABEL_WIDTH_PX = 52;

/** Draws `days` into `container`, sized to its current width. */
export function drawPerDay(container: HTMLElement, days: readonly DayStats[]): void {
  const width = Math.max(240, container.clientWidth);
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = CHART_HEIGHT_PX - PAD.top - PAD.bottom;
  const bottom = PAD.top + plotHeight;
  const counts = niceScale(Math.max(0, ...days.map((d) => d.sessions)), 4, true);
  const totals = durationScale(Math.max(0, ...days.map((d) => d.totalMs)), 4);
  const yCount = (n: number): number => bottom - (n / counts.max) * plotHeight;
  const yTotal = (ms: number): number => bottom - (ms / totals.max) * plotHeight;
  const svg = chartSvg(width, 'Sessions and total length per day', 'per-day');

  const tickCount = Math.round(counts.max / counts.step);
  for (let i = 0; i <= tickCount; i++) {
    const at = bottom - (i / tickCount) * plotHeight;
    svg.append(
      svgEl('line', { x1: PAD.left, x2: width - PAD.right, y1: at, y2: at, class: i === 0 ? 'axis' : 'grid' }),
      svgEl('text', { x: PAD.left - 6, y: at + 4, class: 'tick', 'text-anchor': 'end' }, formatCount(i * counts.step)),
      svgEl(
        'text',
        { x: width - PAD.right + 6, y: at + 4, class: 'tick tick-line' },
        formatDurationShort((i / tickCount) * totals.max),
      ),
    );
  }

  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, Math.min(28, slot * 0.64));
  const labelEvery = Math.max(1, Math.ceil(LABEL_WIDTH_PX / slot));
  const points: [number, number][] = [];
  days.forEach((day, i) => {
    const center = PAD.left + slot * (i + 0.5);
    const top = yCount(day.sessions);
    svg.append(
      svgEl(
        'rect',
        {
          x: center - barWidth / 2,
          y: top,
          width: barWidth,
          height: bottom - top,
          rx: 2,
          class: 'bar',
          'data-testid': 'day',
          'data-day': day.day,
          'data-sessions': day.sessions,
        },
        svgEl(
          'title',
          {},
          `${formatDay(day.day)}: ${formatCount(day.sessions)} ${day.sessions === 1 ? 'session' : 'sessions'}, ` +
            `${formatDuration(day.totalMs)} in total`,
        ),
      ),
    );
    points.push([center, yTotal(day.totalMs)]);
    // Counted from the last day, so today (the day people look for) always has its label.
    if ((days.length - 1 - i) % labelEvery === 0) {
      svg.append(svgEl('text', { x: center, y: bottom + 15, class: 'tick', 'text-anchor': 'middle' }, formatDay(day.day)));
    }
  });
  svg.append(svgEl('polyline', { points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), class: 'line' }));
  // Dots only where there is something to point at; empty days are the flat line.
  points.forEach(([cx, cy], i) => {
    if (days[i].sessions > 0 && slot >= 6) svg.append(svgEl('circle', { cx, cy, r: 2.5, class: 'dot' }));
  });
  container.replaceChildren(svg);
}
