/**
 * A table head whose columns sort on click: a first click sorts descending (ascending for a text
 * column), a second reverses; `aria-sort` marks the column. Shared by the agents and MEV tables.
 */
import type { Selection } from 'd3';
import type { Direction } from '../data/sort';

export interface SortState {
  /** The column sorted by ('' for none). */
  key: string;
  dir: Direction;
}

export function sortableHead<C extends { key: string; label: string }>(
  table: Selection<HTMLTableElement, unknown, null, undefined>,
  cols: readonly C[],
  state: SortState,
  isText: (c: C) => boolean,
  onSort: () => void,
): Selection<HTMLTableCellElement, C, HTMLTableRowElement, unknown> {
  const ths = table
    .append('thead')
    .append('tr')
    .selectAll<HTMLTableCellElement, C>('th')
    .data(cols)
    .join('th')
    .attr('scope', 'col')
    .attr('data-key', (c) => c.key)
    .attr('aria-sort', 'none');
  ths
    .append('button')
    .attr('type', 'button')
    .text((c) => c.label)
    .on('click', (_ev, c) => {
      state.dir = state.key === c.key && state.dir === 'descending' ? 'ascending' : 'descending';
      if (state.key !== c.key && isText(c)) state.dir = 'ascending';
      state.key = c.key;
      onSort();
    });
  return ths;
}

/** Mark the sorted column (after each draw). */
export function markSorted<C extends { key: string }>(ths: Selection<HTMLTableCellElement, C, HTMLTableRowElement, unknown>, state: SortState): void {
  ths.attr('aria-sort', (c) => (c.key === state.key ? state.dir : 'none'));
}
