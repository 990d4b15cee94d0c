/** The sessions table's frustration cell: each signal kind a session has, with its count. */
import type { SessionSummary } from '../../../shared/api';
import { el } from '../dom';
import { formatCount } from '../format';

/** "2 rage · 1 dead", or a muted 0 for a session without signals. */
export function frustrationCell(session: SessionSummary): HTMLTableCellElement {
  const parts = (
    [
      ['rage', session.rageClicks],
      ['dead', session.deadClicks],
      ['error', session.errorClicks],
    ] as const
  ).filter(([, n]) => n > 0);
  if (parts.length === 0) return el('td', { class: 'muted' }, '0');
  const cell = el('td', { class: 'frustrated', title: 'Rage, dead and error clicks' });
  parts.forEach(([kind, n], i) => cell.append(i > 0 ? ' · ' : '', el('span', { class: `signal-${kind}` }, `${formatCount(n)} ${kind}`)));
  return cell;
}
