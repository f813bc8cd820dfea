/** A legend whose items are toggle buttons (keyboard-accessible; names set as text). */
import { select } from 'd3';
import type { Style } from './palette';

export interface LegendItem {
  key: string;
  label: string;
  style: Style;
  /** Longer text for the tooltip (the unit, say). */
  title?: string;
}

export function legend(parent: HTMLElement, className: string, items: readonly LegendItem[], hidden: Set<string>, onToggle: () => void): void {
  const box = select(parent).append('div').attr('class', `legend ${className}`).attr('role', 'group').attr('aria-label', 'series shown (click to toggle)');
  const buttons = box
    .selectAll('button')
    .data(items)
    .join('button')
    .attr('type', 'button')
    .attr('class', 'legend-item')
    .attr('data-key', (d) => d.key)
    .attr('title', (d) => d.title ?? d.label)
    .attr('aria-pressed', (d) => String(!hidden.has(d.key)));
  const sw = buttons.append('svg').attr('class', 'swatch').attr('width', 22).attr('height', 10).attr('aria-hidden', 'true');
  sw.append('line').attr('x1', 1).attr('x2', 21).attr('y1', 5).attr('y2', 5).attr('stroke', (d) => d.style.color).attr('stroke-width', 3).attr('stroke-dasharray', (d) => d.style.dash.join(' ') || null);
  buttons.append('span').text((d) => d.label);
  buttons.on('click', function (_ev, d) {
    if (hidden.has(d.key)) hidden.delete(d.key);
    else hidden.add(d.key);
    select(this).attr('aria-pressed', String(!hidden.has(d.key)));
    onToggle();
  });
}
