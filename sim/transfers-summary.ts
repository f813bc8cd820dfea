/**
 * The transfer ledger's result for summary.json (docs/outputs.md, `transfers`): the who-paid-whom
 * matrix, net per pair, and each agent's totals by kind and by counterparty.
 */
import { TRANSFER_KINDS } from './cells';
import type { Transfers } from './transfers';

const KINDS = TRANSFER_KINDS.length;

/** What one agent paid and received over the window (summary.json `agents[].transfers`). */
export interface AgentTransfers {
  /** Σ over counterparties, venues and kinds of the net flows it received, USD at the events' marks. */
  received: number;
  /** The same of the net flows it paid (≥ 0). */
  paid: number;
  /** received − paid: the identity's first term. */
  net: number;
  /** Σ over tokens of Σ Δh · end price − Σ Δh·price: the later price moves of what moved. */
  revaluation: number;
  /** Σ |Δh·price| over its events and tokens: the scale the identity is checked against. */
  gross: number;
  /** Net received by kind (negative: paid). */
  byKind: Record<string, number>;
  /** Per other party (every one, so that the layout is the same in every run): what it paid it and received from it. */
  byCounterparty: Record<string, { paid: number; received: number }>;
}

/** The who-paid-whom matrix (summary.json `transfers`). */
export interface TransferMatrix {
  parties: string[];
  kinds: string[];
  /** paid[i][j]: USD party i paid party j over the window, net of what j paid i per venue and kind, summed. */
  paid: number[][];
  /** The same per kind. */
  byKind: Record<string, number[][]>;
  /** Σ over all parties of their value changes at the events' marks: 0 up to rounding (value is conserved at fixed prices). */
  residual: number;
  /** Σ over parties of their gross flows: the scale of `residual`. */
  gross: number;
}

export function summarizeTransfers(t: Transfers): { matrix: TransferMatrix; agents: AgentTransfers[] } {
  const P = t.parties;
  const grid = (): number[][] => Array.from({ length: P }, () => new Array<number>(P).fill(0));
  const paid = grid();
  const byKind: Record<string, number[][]> = {};
  for (const k of TRANSFER_KINDS) byKind[k] = grid();
  // Per party: paid and received per counterparty, net received per kind.
  const out = Array.from({ length: P }, () => ({ paid: new Float64Array(P), received: new Float64Array(P), kind: new Float64Array(KINDS) }));
  t.forEachPair('run', (from, to, _venue, kind, usd) => {
    paid[from]![to]! += usd;
    byKind[TRANSFER_KINDS[kind]!]![from]![to]! += usd;
    out[from]!.paid[to]! += usd;
    out[to]!.received[from]! += usd;
    out[from]!.kind[kind]! -= usd;
    out[to]!.kind[kind]! += usd;
  });
  // A pair's two directions were netted per venue and kind; the matrix shows the net over them.
  for (let i = 0; i < P; i++) {
    for (let j = i + 1; j < P; j++) {
      for (const m of [paid, ...Object.values(byKind)]) {
        const x = m[i]![j]! - m[j]![i]!;
        m[i]![j] = x > 0 ? x : 0;
        m[j]![i] = x < 0 ? -x : 0;
      }
    }
  }
  let residual = 0;
  let gross = 0;
  for (let i = 0; i < P; i++) {
    for (let tok = 0; tok < t.tokenCount; tok++) residual += t.heldChangeUsd(i, tok);
    gross += t.grossUsd(i);
  }
  const agents: AgentTransfers[] = [];
  for (let i = 0; i < t.agents; i++) {
    const o = out[i]!;
    let received = 0;
    let paidTotal = 0;
    const byCounterparty: Record<string, { paid: number; received: number }> = {};
    for (let j = 0; j < P; j++) {
      received += o.received[j]!;
      paidTotal += o.paid[j]!;
      if (j !== i) byCounterparty[t.partyNames[j]!] = { paid: o.paid[j]!, received: o.received[j]! };
    }
    const kinds: Record<string, number> = {};
    TRANSFER_KINDS.forEach((k, c) => (kinds[k] = 0 + o.kind[c]!));
    agents.push({ received, paid: paidTotal, net: received - paidTotal, revaluation: t.revaluationUsd(i), gross: t.grossUsd(i), byKind: kinds, byCounterparty });
  }
  return { matrix: { parties: [...t.partyNames], kinds: [...TRANSFER_KINDS], paid, byKind, residual, gross }, agents };
}
