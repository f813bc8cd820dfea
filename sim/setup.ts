/**
 * Before the first block: agents resolve their names through a setup context, receive their
 * initial balances, and run their genesis calls (at time 0, free of gas, in agent order).
 */
import type { SetupContext, VenueInfo } from './agent';
import { fillCexOrder } from './cex';
import { ConfigError, SimulationFault } from './errors';
import type { Kernel } from './kernel';
import { Op, Revert, REVERT_NAMES, TxStatus, type Tx } from './tx';
import { compoundForgeQuote } from './venues/cpmm-math';
import { parseUnits, toWei } from './venues/exact-math';
import { forgeQuote } from './venues/triad-math';
import type { World } from './world';

export function venueInfo(w: World, index: number): VenueInfo {
  const v = w.venues[index];
  if (v === undefined) throw new RangeError(`no venue ${index}`);
  if (v.kind === 'cpmm') {
    return { id: v.id, index, kind: 'cpmm', tokens: [v.token0, v.token1], shareToken: v.lpToken, fee: v.fee, k: 0, variant: v.invariant ? 'invariant' : 'uniswap' };
  }
  return { id: v.id, index, kind: 'triad', tokens: [v.unit, v.reciprocal], shareToken: v.one, fee: 0, k: v.k, variant: v.isProtected ? 'protected' : 'unprotected' };
}

function setupContext(k: Kernel, i: number): SetupContext {
  const w = k.world;
  const a = k.agents[i]!;
  const cexQuote = k.config.market.cex ? w.ledger.tokens.indexOf(k.config.market.cex.quote) : -1;
  return {
    agentIndex: i,
    stream: (name?: string) => k.streams.get(name ? `agent:${a.id}:${name}` : `agent:${a.id}`),
    token: (name) => {
      const t = w.ledger.tokens.indexOf(name);
      if (t < 0) throw new ConfigError(`agents[${i}]`, `agent '${a.id}' names unknown token '${name}'; tokens: ${w.ledger.tokens.join(', ')}`);
      return t;
    },
    asset: (name) => k.market.assetId(name),
    venue: (name) => {
      const v = w.venues.findIndex((x) => x.id === name);
      if (v < 0) throw new ConfigError(`agents[${i}]`, `agent '${a.id}' names unknown venue '${name}'; venues: ${w.venues.map((x) => x.id).join(', ')}`);
      return v;
    },
    venueInfo: (index) => venueInfo(w, index),
    agent: (id) => {
      const j = w.agentIds.indexOf(id);
      if (j < 0) throw new ConfigError(`agents[${i}]`, `agent '${a.id}' names unknown agent '${id}'`);
      return j;
    },
    tag: (name) => k.tag(name),
    // A dormant agent is no member until it is admitted: the others measure no one who is not there.
    cohort: (name) => (k.dormant[i] === 1 ? k.joinLater(name, i) : k.table.join(name, i)),
    tokenCount: w.ledger.tokenCount,
    nativeToken: w.native,
    cexQuote,
    blockInterval: k.blockInterval,
    ordering: k.config.chain.ordering ?? 'priority',
    replacementBump: k.config.chain.replacementBump ?? 0.1,
    mempoolTtl: k.mempoolTtl,
  };
}

/** Call every agent's setup, then mint its initial wallet and CEX balances. */
export function setUpAgents(k: Kernel): void {
  const w = k.world;
  const L = w.ledger;
  k.agents.forEach((a, i) => {
    try {
      a.setup?.(setupContext(k, i));
    } catch (e) {
      // A setup that refuses its configuration is a configuration error, located at the agent.
      if (e instanceof ConfigError || !(e instanceof Error)) throw e;
      throw new ConfigError(`agents[${i}]`, e.message);
    }
    for (const [book, account] of [
      [a.balances, w.agentAccount(i)],
      [a.cexBalances, w.cexAccount(i)],
    ] as const) {
      for (const [name, raw] of Object.entries(book ?? {})) {
        const path = `agents[${i}].${account >= w.cexBase ? 'cexBalances' : 'balances'}.${name}`;
        const t = L.tokens.indexOf(name);
        if (t < 0) throw new ConfigError(path, `unknown token '${name}'; tokens: ${L.tokens.join(', ')}`);
        const amount = Number(raw);
        if (!(Number.isFinite(amount) && (amount >= 0 || account >= w.cexBase))) throw new ConfigError(path, `must be a finite non-negative amount, got ${raw}`);
        if (L.exact !== null) L.xmint(account, t, typeof raw === 'string' ? parseUnits(raw) : toWei(raw));
        else L.mint(account, t, amount);
        if (!(L.supply[t]! < Infinity)) throw new ConfigError(path, `brings the total ${name} held by the agents past float64's range (about 1.8e308); use smaller units or numeric: exact`);
      }
    }
  });
}

/** Genesis: each agent's calls at time 0, free of gas, executed at once in agent order; a failing call is a configuration error. */
export function runGenesis(k: Kernel): void {
  const ex = k.executor;
  const L = k.world.ledger;
  ex.free = true;
  ex.block = 0;
  k.agents.forEach((_, i) => {
    // An agent that joins later (a fork's new agent) places its genesis calls when it is admitted.
    if (k.dormant[i] === 0) genesisCalls(k, i);
  });
  ex.free = false;
  L.commit();
  // From here on only multi-call transactions and bundles journal their writes (see Ledger), unless
  // invariants are checked, which read the journal.
  L.journaling = L.audit;
}

/** Agent i's genesis calls, executed at once and free of gas (the executor set up by the caller). */
export function genesisCalls(k: Kernel, i: number): void {
  const a = k.agents[i]!;
  if (!a.genesis) return;
  const ex = k.executor;
  k.callGenesis(i);
  const out = k.outbox;
  for (const tx of out.created.toArray()) {
    tx.tag = tx.tag || 1;
    tx.gasLimit = ex.gasEstimate(tx);
    try {
      ex.run(tx);
    } catch (e) {
      // A number out of range in a genesis call comes from the scenario's amounts: an input error.
      if (e instanceof SimulationFault) throw new ConfigError(`agents[${i}]`, `genesis call of agent '${a.id}' failed: ${e.message.replace(/^(\w+) at block 0(, transaction \d+)?: /, '$1: ')}`);
      throw e;
    }
    if (tx.status !== TxStatus.Included) {
      const why = genesisCause(k, tx);
      throw new ConfigError(`agents[${i}]`, `genesis call of agent '${a.id}' failed: ${REVERT_NAMES[tx.revert] ?? 'invalid'}${why === undefined ? '' : ` — ${why}`}`);
    }
    k.sent[i]!++;
    k.included[i]!++;
    if (k.events.listenerCount('tx') > 0) k.events.emit('tx', tx);
    k.txPool.give(tx);
  }
  out.created.clear();
  out.settleOtc();
  // Genesis CEX orders fill at once, at time-0 prices; bundles make no sense before a block.
  const orders = out.cexOrders;
  for (let j = 0; j < orders.size; j++) fillCexOrder(k, orders.get(j));
  orders.clear();
  if (out.bundles.length > 0) throw new ConfigError(`agents[${i}]`, `agent '${a.id}' sent a bundle at genesis, before any block`);
}

/** An amount for a message: up to 7 significant digits, thousands separated; tiny or huge ones in e-notation. */
function amount(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-6 || a >= 1e15)) return String(Number(x.toPrecision(4)));
  return x.toLocaleString('en-US', { maximumSignificantDigits: 7 });
}

/**
 * The likely cause of a failed genesis transaction, in words, from its failing call and the state
 * it ran against (rolled back, so as it was): what the agent lacks to pay, or why the amounts are
 * refused. Undefined when there is nothing more to say than the revert name.
 */
function genesisCause(k: Kernel, tx: Tx): string | undefined {
  const call = tx.calls[tx.failedCall];
  const w = k.world;
  const v = call === undefined ? undefined : w.venues[call.venue];
  if (call === undefined || v === undefined) return undefined;
  const L = w.ledger;
  const name = (t: number): string => (/^[A-Za-z]/.test(L.tokens[t]!) ? L.tokens[t]! : `"${L.tokens[t]}"`);
  const held = (t: number): number => L.bal[tx.sender * L.tokenCount + t]!;
  /** The first of (token, amount paid) the sender does not hold in full, as a sentence. */
  const lacking = (pays: readonly [number, number, string][]): string | undefined => {
    for (const [t, need, what] of pays) {
      if (need > 0 && held(t) < need) return `it lacks ${amount(need - held(t))} ${name(t)} ${what} (it needs ${amount(need)}, holds ${amount(held(t))})`;
    }
    return undefined;
  };
  const revert = tx.revert;
  if (v.kind === 'cpmm' && call.op === Op.AddLiquidity) {
    const [t0, t1] = [v.token0, v.token1];
    if (revert === Revert.InvalidAmount) {
      if (!(call.a > 0) && !(call.b > 0)) return held(t0) === 0 && held(t1) === 0 ? `it holds none of ${name(t0)} or ${name(t1)} to deposit (give it balances)` : `its deposit is 0 ${name(t0)} and 0 ${name(t1)}`;
      const empty = L.bal[v.r0] === 0 && L.bal[v.r1] === 0;
      if (empty && !v.invariant && (!(call.a > 0) || !(call.b > 0))) return `the first deposit into the empty pool '${v.id}' needs both tokens, and it deposits no ${name(call.a > 0 ? t1 : t0)}`;
      return `the deposit (${amount(call.a)} ${name(t0)}, ${amount(call.b)} ${name(t1)}) is too small to mint a share of pool '${v.id}'`;
    }
    if (revert === Revert.InsufficientBalance) return lacking([[t0, call.a, 'to deposit'], [t1, call.b, 'to deposit']]);
  }
  if (v.kind === 'cpmm' && call.op === Op.Swap && revert === Revert.InsufficientBalance) return lacking([[call.side === 0 ? v.token0 : v.token1, call.a, 'to pay for the swap']]);
  if (v.kind === 'cpmm' && call.op === Op.RemoveLiquidity && revert === Revert.InsufficientBalance) return lacking([[v.lpToken, call.a, 'to withdraw']]);
  if (call.op === Op.Forge && revert === Revert.InsufficientBalance) {
    if (v.kind === 'triad') {
      const dw = forgeQuote(L.supply[v.unit]!, L.supply[v.reciprocal]!, call.a, call.b, v.k);
      return lacking([
        [v.unit, -call.a, 'to burn in the forge'],
        [v.reciprocal, -call.b, 'to burn in the forge'],
        [v.one, -dw, 'to pay for the forge'],
        ...(v.anchor >= 0 ? [[v.anchor, call.a, 'to wrap into the unit'] as [number, number, string]] : []),
      ]);
    }
    const dw = compoundForgeQuote(L.bal[v.r0]!, L.bal[v.r1]!, call.a, call.b);
    return lacking([
      [v.token0, -call.a, 'to deposit in the forge'],
      [v.token1, -call.b, 'to deposit in the forge'],
      [v.lpToken, -dw, 'to burn in the forge'],
    ]);
  }
  if (v.kind === 'triad' && call.op === Op.Forge && revert === Revert.TriadNegativeSupply) return `it burns more ${name(v.unit)} or ${name(v.reciprocal)} than the triad '${v.id}' has issued`;
  return undefined;
}
