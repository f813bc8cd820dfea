/** The message shown instead of a chart when the data cannot be read: plain text, in an alert. */
import { select } from 'd3';

export function showError(root: HTMLElement, what: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  select(root).selectAll('*').remove();
  const box = select(root).append('div').attr('class', 'error').attr('role', 'alert');
  box.append('h2').text(`Cannot show this ${what}`);
  box.append('p').text(message);
  root.dataset.rendered = 'error';
}
