/**
 * Preflight: what the configuration will get wrong, said before the first block. Run after genesis
 * on the real world, it reads balances and prices through the kernel and asks each agent how it will
 * act (Agent.preflight) — the engine knows no agent kind. It changes nothing: a run's results are the
 * same with or without it. Every warning has a stable code (docs/outputs.md), the agent and venue it
 * concerns, and a path into the scenario (`agents.<id>.balances.ETH`, `venues.<id>`).
 */
import type { AgentPlan, PreflightContext } from './agent';
import { Schedule } from './agent-table';
import type { Kernel } from './kernel';
import { venueInfo } from './setup';

export interface PreflightWarning {
  code: string;
  /** Id of the agent it concerns, if any. */
  agent?: string;
  /** Id of the venue it concerns, if any. */
  venue?: string;
  /** Where in the scenario: `agents.lp.deposit`, `venues.pool`. */
  path: string;
  message: string;
}

/** A venue (or a tracked triad) further than this, relatively, from its reference at genesis is reported. */
export const PRICE_TOLERANCE = 0.01;

/** An amount for a message: up to 6 significant digits, thousands separated. */
export function formatAmount(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-6 || a >= 1e15)) return String(Number(x.toPrecision(4)));
  return x.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** A relative deviation as a percentage for a message: "4.2 % above". */
export function formatDeviation(d: number): string {
  return `${Math.abs(d * 100).toFixed(Math.abs(d) < 0.1 ? 2 : 1)} % ${d > 0 ? 'above' : 'below'}`;
}

/** A token name for a message, quoted when it is not a plain word ("1"). */
export const tokenLabel = (name: string): string => (/^[A-Za-z]/.test(name) ? name : `"${name}"`);

export function preflight(k: Kernel): PreflightWarning[] {
  const w = k.world;
  const L = w.ledger;
  const ctx: PreflightContext = {
    tokenName: (t) => L.tokens[t]!,
    venueName: (v) => w.venues[v]!.id,
    venue: (id) => w.venues.findIndex((v) => v.id === id),
    venueInfo: (index) => venueInfo(w, index),
    agent: (id) => w.agentIds.indexOf(id),
    nativeToken: w.native,
  };
  const view = k.view;
  const plans: (AgentPlan | null)[] = k.agents.map((a, i) => {
    if (!a.preflight) return null;
    view.self = i;
    return a.preflight(view, ctx);
  });
  const out: PreflightWarning[] = [];
  venuePrices(k, out);
  const fee = k.config.chain.baseFee;
  // A base fee of zero that its rule keeps at zero: gas costs only the priority fees bid.
  const freeBase = k.baseFee === 0 && (fee?.mode === 'fixed' || (fee?.min ?? 0) === 0);
  k.agents.forEach((a, i) => {
    const plan = plans[i] ?? null;
    if (plan === null) return;
    const base = `agents.${a.id}`;
    for (const x of plan.warnings ?? []) {
      out.push({ code: x.code, agent: a.id, ...(x.venue !== undefined ? { venue: w.venues[x.venue]!.id } : {}), path: `${base}.${x.field}`, message: x.message });
    }
    const needsGas = plan.sends === true && (!freeBase || plan.bids === true || k.defaultPriorityFee[i]! > 0);
    if (needsGas && !(plan.warnings ?? []).some((x) => x.explainsGas) && !(L.get(w.agentAccount(i), w.native) > 0)) {
      const native = tokenLabel(L.tokens[w.native]!);
      out.push({
        code: 'NO_GAS_TOKEN',
        agent: a.id,
        path: `${base}.balances.${L.tokens[w.native]}`,
        message: `agent '${a.id}' holds no ${native} after genesis to pay gas: it sends nothing, or what it sends is dropped unpaid (give it some ${native})`,
      });
    }
    if (plan.watches !== undefined && plan.watches !== false) unseen(k, plans, i, plan.watches, out);
  });
  return out;
}

/** Pools whose genesis price is off the reference prices of their tokens. */
function venuePrices(k: Kernel, out: PreflightWarning[]): void {
  const w = k.world;
  const L = w.ledger;
  for (const v of w.venues) {
    if (v.kind !== 'cpmm') continue;
    const x = L.bal[v.r0]!;
    const y = L.bal[v.r1]!;
    const m0 = w.markPrice(v.token0);
    const m1 = w.markPrice(v.token1);
    if (!(x > 0 && y > 0 && m0 > 0 && m1 > 0 && Number.isFinite(m0 / m1))) continue;
    const price = y / x;
    const ref = m0 / m1;
    const d = price / ref - 1;
    if (!(Math.abs(d) > PRICE_TOLERANCE)) continue;
    const [t0, t1] = [tokenLabel(L.tokens[v.token0]!), tokenLabel(L.tokens[v.token1]!)];
    out.push({
      code: 'VENUE_OFF_REFERENCE',
      venue: v.id,
      path: `venues.${v.id}`,
      message: `pool '${v.id}' starts at ${formatAmount(price)} ${t1} per ${t0}, ${formatDeviation(d)} the reference ${formatAmount(ref)}: the first trade against it takes the difference as profit, a set-up artefact (deposit at the reference price)`,
    });
  }
}

/**
 * A watcher (a searcher) that can never see a public transaction of any agent it watches while it
 * is still pending. When a transaction reaches the mempool at time a, the watcher sees it at
 * a + its mempool latency, and can act on it only if no block has been built in between (at equal
 * times a block comes last, sim/event-queue.ts). An agent that acts just before each block with
 * zero network latency has its transaction built into that block in the same event: no one sees it.
 */
function unseen(k: Kernel, plans: readonly (AgentPlan | null)[], w: number, watches: true | readonly number[], out: PreflightWarning[]): void {
  const ids = k.world.agentIds;
  const targets = watches === true ? ids.map((_, j) => j).filter((j) => j !== w) : watches.filter((j) => j !== w && j >= 0);
  const reasons: string[] = [];
  let byLag = 0;
  let silent = 0;
  for (const j of targets) {
    const why = hiddenFrom(k, plans[j] ?? null, w, j);
    if (why === null) return;
    // Agents that send nothing are no one's to fix: named only when there is no one else.
    if (why.kind === 'silent') silent++;
    else reasons.push(why.text);
    if (why.kind === 'lag') byLag++;
  }
  const id = ids[w]!;
  const lagOnly = byLag > 0 && byLag === reasons.length;
  const none = silent > 0 ? 'no agent it watches sends transactions after genesis' : 'there is no one to watch';
  out.push({
    code: 'SEARCHER_SEES_NOTHING',
    agent: id,
    path: lagOnly ? `agents.${id}.latency.mempool` : `agents.${id}`,
    message: `agent '${id}' acts on others' transactions in the mempool but can never see one: ${reasons.length === 0 ? none : reasons.join('; ')}`,
  });
}

interface Hidden {
  text: string;
  /** silent: sends nothing; private: only privately; zero: built in the event it is sent; lag: the watcher is too slow. */
  kind: 'silent' | 'private' | 'zero' | 'lag';
}

/** Why watcher `w` never sees agent `j`'s public transactions while they are pending, or null when it can. */
function hiddenFrom(k: Kernel, plan: AgentPlan | null, w: number, j: number): Hidden | null {
  // An agent that says nothing of its plans may send anything at any time.
  if (plan === null) return null;
  const id = k.world.agentIds[j]!;
  const pub = plan.publicTxs ?? 'never';
  if (plan.sends !== true) return { text: `'${id}' sends no transactions after genesis`, kind: 'silent' };
  if (pub === 'never') return { text: `'${id}' sends only privately (or in bundles)`, kind: 'private' };
  const lag = k.table.mempoolLag[w]!;
  const bi = k.blockInterval;
  const fixedBlocks = k.config.chain.blockTimes !== 'exponential';
  // Worded only when it applies: number formatting's first use costs tens of ms at start-up.
  const slow = (): Hidden => ({ text: `its mempool latency (${formatAmount(lag)} s) is longer than '${id}'s transactions wait for their block`, kind: 'lag' });
  if (!fixedBlocks) {
    // Blocks at random times: anything that reaches the mempool before the next block may be seen —
    // except what is built in the very event it is sent.
    if (pub === 'on-schedule' && k.table.scheduleKind[j] === Schedule.Block && k.table.network[j]!.max === 0) return zeroLatency(id);
    return null;
  }
  // Sent on receipts, right after a block: seen if the latency is within a block.
  if (pub === 'also-on-events') return lag <= bi ? null : slow();
  const net = k.table.network[j]!;
  if (k.table.scheduleKind[j] === Schedule.Block) {
    if (net.max === 0) return zeroLatency(id);
    if (net.min === net.max) {
      // Sent at a block's time t, it arrives at t + d and goes into the first block at or after it.
      const r = net.max % bi;
      return (r === 0 ? lag === 0 : lag <= bi - r) ? null : slow();
    }
  }
  // At times between blocks (Poisson, intervals, random latency): some arrive just after a block.
  return lag < bi ? null : slow();
}

function zeroLatency(id: string): Hidden {
  return { text: `'${id}' sends with zero network latency just before each block is built, so its transactions are in that block before anyone sees them (give it latency.network)`, kind: 'zero' };
}
