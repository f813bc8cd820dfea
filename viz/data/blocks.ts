/**
 * Transactions by block, for the block inspector: each block's transactions in execution order,
 * grouped by bundle (a sandwich's front and back legs with the victim between them), each with its
 * tags — its own, plus `victim` and `revert` where they apply — and what became of each candidate
 * the builder saw.
 */
import type { Candidates, CandidateTx, Tx } from './types';

export interface TxIndex {
  /** Each block's transactions, by position. */
  byBlock: Map<number, Tx[]>;
  /** Blocks (1 and later) with at least one transaction, ascending. */
  busy: number[];
  byId: Map<number, Tx>;
  candidates: Map<number, CandidateTx[]>;
}

export function indexTransactions(txs: readonly Tx[], candidates: readonly Candidates[] = []): TxIndex {
  const byBlock = new Map<number, Tx[]>();
  const byId = new Map<number, Tx>();
  for (const t of txs) {
    byId.set(t.id, t);
    if (t.block < 0) continue;
    const list = byBlock.get(t.block);
    if (list === undefined) byBlock.set(t.block, [t]);
    else list.push(t);
  }
  for (const list of byBlock.values()) list.sort((a, b) => a.position - b.position);
  const busy = [...byBlock.keys()].filter((b) => b > 0).sort((a, b) => a - b);
  return { byBlock, busy, byId, candidates: new Map(candidates.map((c) => [c.block, c.txs])) };
}

export interface Row {
  tx: Tx;
  /** The transaction's tag, then `victim` (inside someone's sandwich) or `target` (what another bundle was built around) and `revert` as they apply. */
  tags: string[];
}

export interface Group {
  /** The bundle id, or null for transactions outside any bundle. */
  bundle: number | null;
  rows: Row[];
}

/**
 * A block's transactions (by position) grouped: a bundle spans from its first to its last leg, and
 * from the transaction it was built around when that runs first (a back-run's or reversal's target).
 */
export function groupBlock(txs: readonly Tx[]): Group[] {
  const sorted = [...txs].sort((a, b) => a.position - b.position);
  const position = new Map(sorted.map((t) => [t.id, t.position]));
  type Span = { first: number; last: number; sandwich: boolean; victim: number | null };
  const span = new Map<number, Span>();
  for (const t of sorted) {
    if (t.bundle === null) continue;
    const s = span.get(t.bundle) ?? { first: t.position, last: t.position, sandwich: false, victim: t.victim };
    s.first = Math.min(s.first, t.position, t.victim === null ? Infinity : (position.get(t.victim) ?? Infinity));
    s.last = Math.max(s.last, t.position);
    if (t.tag.startsWith('sandwich')) s.sandwich = true;
    span.set(t.bundle, s);
  }
  const starts = new Map<number, number>();
  for (const [b, s] of span) starts.set(s.first, b);
  const groups: Group[] = [];
  let open: { bundle: number; last: number; sandwich: boolean; victim: number | null } | null = null;
  for (const t of sorted) {
    if (open !== null && t.position > open.last) open = null;
    const tags = t.tag === '' ? [] : [t.tag];
    const starting: number | null = open === null ? (t.bundle ?? starts.get(t.position) ?? null) : null;
    if (starting !== null) {
      const s: Span = span.get(starting)!;
      open = { bundle: starting, last: s.last, sandwich: s.sandwich, victim: s.victim };
      groups.push({ bundle: starting, rows: [] });
    } else if (open === null && (groups.length === 0 || groups.at(-1)!.bundle !== null)) {
      groups.push({ bundle: null, rows: [] });
    }
    // Another agent's transaction in a bundle: a sandwich's victim, or the target a back-run or reversal was built around.
    if (open !== null && t.bundle !== open.bundle) {
      if (open.sandwich) tags.push('victim');
      else if (t.id === open.victim) tags.push('target');
    }
    if (t.status === 'reverted') tags.push('revert');
    groups.at(-1)!.rows.push({ tx: t, tags });
  }
  return groups;
}

/** What became of a transaction the builder saw before `block`. */
export function outcome(ix: TxIndex, id: number, block: number): string {
  const t = ix.byId.get(id);
  if (t === undefined) return 'still pending at the end';
  if (t.status === 'dropped') return `dropped (${t.revert ?? 'no reason'})`;
  const where = t.block === block ? `position ${t.position}` : `block ${t.block}, position ${t.position}`;
  return t.status === 'reverted' ? `${where}, reverted (${t.revert ?? ''})` : where;
}

/** The busy block before or after `block` (the busy blocks ascending), for Shift+arrow navigation. */
export function nextBusy(busy: ArrayLike<number>, block: number, step: 1 | -1): number | undefined {
  let lo = 0;
  let hi = busy.length;
  // First index whose block is after `block` (step 1) or at/after it (step -1).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (step > 0 ? busy[mid]! <= block : busy[mid]! < block) lo = mid + 1;
    else hi = mid;
  }
  return step > 0 ? busy[lo] : lo > 0 ? busy[lo - 1] : undefined;
}
