/**
 * What the viewer works on, whatever it was read from (the data inlined in report.html, or the
 * files of an output folder served by `hedgesim view`). Plain data; every transform takes it first.
 */
import type { Reduced } from './format';
import type { MevRow, MevTotals } from './mev';

export interface AgentSummary {
  id: string;
  kind: string;
  pnl: Record<string, number>;
  txs: { sent?: number; included: number; reverted: number; dropped?: number };
  gasPaid?: { baseUsd: number; priorityUsd: number };
  metrics?: Record<string, number>;
}

export interface VenueSummary {
  id: string;
  kind: string;
  tokens: string[];
}

export interface Summary {
  scenario: string;
  scenarioHash?: string;
  seed: number | string;
  blocks: number;
  simulatedSeconds?: number;
  agents: AgentSummary[];
  venues: VenueSummary[];
  builder?: { priorityFeesUsd?: number; burnedUsd?: number };
  finalBaseFee?: number;
  /** Gas per block at most, and the gas the base fee aims at (null: a fixed fee). */
  chain?: { gasLimit?: number; gasTarget?: number | null };
  invariantsChecked?: boolean;
  /** Who paid whom (summary format 3). */
  transfers?: TransferSummary;
  /** A fork's original (its folder name) and the block N after which the changes act (docs/forks.md). */
  forkedFrom?: { run: string; block: number };
}

/** summary.json `transfers`: `paid[i][j]` is what party i paid party j, net (docs/outputs.md). */
export interface TransferSummary {
  parties: string[];
  kinds: string[];
  paid: number[][];
  byKind: Record<string, number[][]>;
}

/** The per-block table, one float64 column per name (NaN: missing). */
export interface BlockTable {
  columns: string[];
  length: number;
  data: Float64Array[];
}

/** The tidy P&L decomposition: block, time, agent, then the components. */
export interface PnlTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface Call {
  venue: string;
  op: string;
  side: number;
  a: number;
  b: number;
  boundA: number | null;
  boundB: number | null;
  outA: number;
  outB: number;
  outC: number;
}

export interface Tx {
  /** transactions.jsonl's line format (absent before format 2, and in the report's rows). */
  format?: number;
  id: number;
  block: number;
  position: number;
  agent: string;
  tag: string;
  status: string;
  revert: string | null;
  private: boolean;
  bundle: number | null;
  victim: number | null;
  arrivalTime: number;
  gasUsed: number;
  priorityFee: number;
  effectivePriorityFee: number;
  baseFee: number;
  gasCostUsd: number;
  calls: Call[];
  /** The agent it aims at (a bundle leg's victim or target, an adversary's target); null for none or before log format 3. */
  target: string | null;
  /** Its sender's wallet change by token, gas included (USD at the marks right after it); null before log format 3. */
  assetChanges: AssetChange[] | null;
}

export interface AssetChange {
  token: string;
  amount: number;
  usd: number;
}

/** mev.csv as the viewer holds it: totals over every row, the largest rows first (up to a cap). */
export interface MevData {
  count: number;
  totals: MevTotals;
  rows: MevRow[];
}

export interface CandidateTx {
  id: number;
  agent: string;
  tag: string;
  priorityFee: number;
  maxFee: number;
  arrivalTime: number;
  private: boolean;
  bundle: number | null;
}

export interface Candidates {
  block: number;
  txs: CandidateTx[];
}

export interface RunData {
  summary: Summary;
  blocks: BlockTable | null;
  pnl: PnlTable | null;
  /** Null when the run was not recorded with `--record full`. */
  transactions: Tx[] | null;
  candidates: Candidates[] | null;
  /** Null when the output has no mev.csv (written before it existed). */
  mev: MevData | null;
  /** A long run's report holds a reduction of it (viz/data/format.ts); the files hold everything. */
  reduced?: Reduced;
}

/** A column of the block table by name, or undefined. */
export function column(t: BlockTable, name: string): Float64Array | undefined {
  const j = t.columns.indexOf(name);
  return j < 0 ? undefined : t.data[j];
}
