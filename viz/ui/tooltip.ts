/** One tooltip for the page; its lines are set as text, never as HTML. */
import { select, type Selection } from 'd3';

let tip: Selection<HTMLDivElement, unknown, null, undefined> | undefined;

function el(): Selection<HTMLDivElement, unknown, null, undefined> {
  tip ??= select(document.body).append('div').attr('class', 'tooltip').attr('role', 'tooltip').style('display', 'none');
  return tip;
}

export function showTip(ev: MouseEvent, lines: readonly string[]): void {
  const t = el();
  t.style('display', 'block').selectAll('div').data(lines).join('div').text((d) => d);
  const w = (t.node()?.offsetWidth ?? 200) + 16;
  const left = ev.pageX + 14 + w > window.scrollX + window.innerWidth ? ev.pageX - w : ev.pageX + 14;
  t.style('left', `${left}px`).style('top', `${ev.pageY + 14}px`);
}

export function hideTip(): void {
  el().style('display', 'none');
}
