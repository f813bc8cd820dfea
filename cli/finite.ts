/**
 * Every number written to an output is a number: a value that left float64's range (NaN, ±∞) is a
 * numerical fault naming the block, the transaction where there is one, and the quantity (exit 3),
 * never an empty cell or a `null`. A quantity that has no value is left out instead, by rule
 * (docs/outputs.md): the price of an empty venue (an empty cell of blocks.csv, a missing key of
 * summary.json), an agent's P&L before the measurement point (an empty `pnl_<agent>` cell) and a
 * call's absent bound (no `boundA`/`boundB` in transactions.jsonl).
 */
import { SimulationFault } from '../sim/errors';
import type { CandidateRecord, Row, TxRecord } from '../sim/record';
import type { VenueResult } from '../sim/result';

const code = (v: number): 'NAN' | 'OVERFLOW' => (v !== v ? 'NAN' : 'OVERFLOW');

function fault(block: number, tx: number, quantity: string, value: number): SimulationFault {
  return new SimulationFault(code(value), block, tx, `${quantity} is ${value}`, { quantity, value: String(value) });
}

/** mev.csv's names that are empty when there is none (docs/outputs.md): a lone transaction's bundle, no victim. */
const EMPTY_WHEN_NONE = new Set(['bundle', 'victim', 'victim_tx']);

/**
 * Columns of an output table that may be empty: venue prices (an empty venue has none), mev.csv's
 * bundle and victim when there is none, and, before the measurement point, the agents'
 * `pnl_<agent>` — blocks.csv's last `unmeasured` columns (P&L is not defined yet). From the
 * measurement point on a P&L that is not a number is a fault like any other.
 */
export function emptyAllowed(columns: readonly string[], unmeasured = 0): boolean[] {
  const firstPnl = columns.length - unmeasured;
  return columns.map((c, j) => (c.endsWith('_price') && !c.startsWith('ref_')) || EMPTY_WHEN_NONE.has(c) || j >= firstPnl);
}

/** A row of blocks.csv or pnl.csv (its first value the block): every number finite, or a fault. */
export function checkRow(columns: readonly string[], row: Row, empty?: readonly boolean[]): void {
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (typeof v !== 'number' || (v - v === 0)) continue;
    if (v !== v && empty?.[j] === true) continue;
    throw fault(row[0] as number, -1, pnlQuantity(columns, row, j), v);
  }
}

function pnlQuantity(columns: readonly string[], row: Row, j: number): string {
  const agent = columns.indexOf('agent');
  return agent >= 0 ? `${columns[j]} P&L of agent '${String(row[agent])}'` : columns[j] ?? `column ${j + 1}`;
}

const TX_NUMBERS = ['arrivalTime', 'gasUsed', 'priorityFee', 'effectivePriorityFee', 'baseFee', 'gasCostUsd'] as const;
const CALL_NUMBERS = ['a', 'b', 'outA', 'outB', 'outC'] as const;

/**
 * A transaction as written to transactions.jsonl: its numbers checked, a call's bound that is no
 * bound (±∞: no minimum or maximum) left out. Changes the record in place (it is the writer's own).
 */
export function outputTransaction(tx: TxRecord): TxRecord {
  const block = tx.block >= 0 ? tx.block : 0;
  for (const k of TX_NUMBERS) if (!Number.isFinite(tx[k])) throw fault(block, tx.id, k, tx[k]);
  tx.assetChanges.forEach((c, i) => {
    if (!Number.isFinite(c.amount)) throw fault(block, tx.id, `assetChanges[${i}].amount`, c.amount);
    if (!Number.isFinite(c.usd)) throw fault(block, tx.id, `assetChanges[${i}].usd`, c.usd);
  });
  for (let i = 0; i < tx.calls.length; i++) {
    const c = tx.calls[i]! as Partial<TxRecord['calls'][number]>;
    for (const k of CALL_NUMBERS) if (!Number.isFinite(c[k]!)) throw fault(block, tx.id, `calls[${i}].${k}`, c[k]!);
    if (!Number.isFinite(c.boundA!)) {
      if (c.boundA !== c.boundA) throw fault(block, tx.id, `calls[${i}].boundA`, NaN);
      delete c.boundA;
    }
    if (!Number.isFinite(c.boundB!)) {
      if (c.boundB !== c.boundB) throw fault(block, tx.id, `calls[${i}].boundB`, NaN);
      delete c.boundB;
    }
  }
  return tx;
}

/** The builder's candidates of a block: fees and times finite (a max fee may be ∞: left out). */
export function outputCandidates(c: CandidateRecord): CandidateRecord {
  for (const t of c.txs) {
    if (!Number.isFinite(t.priorityFee)) throw fault(c.block, t.id, 'priorityFee', t.priorityFee);
    if (!Number.isFinite(t.arrivalTime)) throw fault(c.block, t.id, 'arrivalTime', t.arrivalTime);
    if (!Number.isFinite(t.maxFee)) throw fault(c.block, t.id, 'maxFee', t.maxFee);
  }
  return c;
}

/** The first number in `v` (depth first) that is not finite: its path and value. */
export function nonFinite(v: unknown, path = ''): [string, number] | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : [path, v];
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = nonFinite(v[i], `${path}[${i}]`);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const r = nonFinite(x, path === '' ? k : `${path}.${k}`);
    if (r !== undefined) return r;
  }
  return undefined;
}

/**
 * summary.json: the price of an empty venue left out (the result holds NaN for it), then every
 * number finite, or a fault naming the field (at the last block).
 */
export function checkSummary(summary: { venues: VenueResult[] }, block: number): void {
  for (const v of summary.venues) {
    const o = v as Partial<Record<'price' | 'prices', unknown>>;
    if (v.kind === 'cpmm' && Number.isNaN(v.price)) delete o.price;
    if (v.kind === 'triad' && v.prices.some(Number.isNaN)) delete o.prices;
  }
  const bad = nonFinite(summary);
  if (bad === undefined) return;
  // agents[1].pnl.total → agents.whale.pnl.total: named as in the scenario.
  const named = bad[0].replace(/^(agents|venues)\[(\d+)\]/, (m, list: 'agents' | 'venues', i: string) => {
    const id = (summary as { agents?: { id: string }[]; venues: { id: string }[] })[list]?.[Number(i)]?.id;
    return id === undefined ? m : `${list}.${id}`;
  });
  throw fault(block, -1, named, bad[1]);
}
