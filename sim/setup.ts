/**
 * Before the first block: agents resolve their names through a setup context, receive their
 * initial balances, and run their genesis calls (at time 0, free of gas, in agent order).
 */
import type { SetupContext, VenueInfo } from './agent';
import { fillCexOrder } from './cex';
import { ConfigError } from './errors';
import type { Kernel } from './kernel';
import { REVERT_NAMES, TxStatus } from './tx';
import { parseUnits, toWei } from './venues/exact-math';
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
    nativeToken: w.native,
    cexQuote,
    blockInterval: k.blockInterval,
  };
}

/** Call every agent's setup, then mint its initial wallet and CEX balances. */
export function setUpAgents(k: Kernel): void {
  const w = k.world;
  const L = w.ledger;
  k.agents.forEach((a, i) => {
    a.setup?.(setupContext(k, i));
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
  k.agents.forEach((a, i) => {
    if (!a.genesis) return;
    k.callGenesis(i);
    const out = k.outbox;
    for (const tx of out.created.toArray()) {
      tx.tag = tx.tag || 1;
      tx.gasLimit = ex.gasEstimate(tx);
      ex.run(tx);
      if (tx.status !== TxStatus.Included) {
        throw new ConfigError(`agents[${i}]`, `genesis call of agent '${a.id}' failed: ${REVERT_NAMES[tx.revert] ?? 'invalid'}`);
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
  });
  ex.free = false;
  L.commit();
  // From here on only multi-call transactions and bundles journal their writes (see Ledger), unless
  // invariants are checked, which read the journal.
  L.journaling = L.audit;
}
