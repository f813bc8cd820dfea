/** Checks that a summary (summary.json) has what the viewer relies on, with a clear message if not. */
import { fail } from './errors';
import type { AgentSummary, Summary, VenueSummary } from './types';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function agent(v: unknown, i: number): AgentSummary {
  if (!isObj(v) || typeof v.id !== 'string' || typeof v.kind !== 'string') fail(`summary: agent ${i} has no id or kind`);
  const pnl = isObj(v.pnl) ? (v.pnl as Record<string, number>) : fail(`summary: agent '${v.id}' has no pnl`);
  const txs = isObj(v.txs) ? (v.txs as unknown as AgentSummary['txs']) : { included: 0, reverted: 0 };
  return { ...(v as object), id: v.id, kind: v.kind, pnl, txs } as AgentSummary;
}

function venue(v: unknown, i: number): VenueSummary {
  if (!isObj(v) || typeof v.id !== 'string') fail(`summary: venue ${i} has no id`);
  const tokens = Array.isArray(v.tokens) ? v.tokens.map(String) : [];
  return { ...(v as object), id: v.id, kind: String(v.kind ?? ''), tokens } as VenueSummary;
}

export function checkSummary(v: unknown): Summary {
  if (!isObj(v)) fail('the summary is missing');
  if (typeof v.scenario !== 'string') fail('summary: no scenario name');
  if (!Array.isArray(v.agents)) fail('summary: no agents list');
  const blocks = typeof v.blocks === 'number' ? v.blocks : fail('summary: no block count');
  return {
    ...(v as object),
    scenario: v.scenario,
    seed: typeof v.seed === 'number' || typeof v.seed === 'string' ? v.seed : '?',
    blocks,
    agents: v.agents.map(agent),
    venues: Array.isArray(v.venues) ? v.venues.map(venue) : [],
    forkedFrom: isObj(v.forkedFrom) && typeof v.forkedFrom.run === 'string' && typeof v.forkedFrom.block === 'number' ? { run: v.forkedFrom.run, block: v.forkedFrom.block } : undefined,
  } as Summary;
}
