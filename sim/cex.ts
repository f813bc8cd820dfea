/**
 * The off-chain venue: fills at the reference price plus a half spread (and optional linear impact),
 * charges a proportional fee, has unlimited depth. Orders are not chain transactions: no gas, no
 * mempool. Fills settle in the agent's CEX account, which may go negative (margin).
 */
import { BPS } from './units';
import { AgentCell, CEX, TokenKind } from './world';
import { ConfigError } from './errors';
import type { Kernel } from './kernel';
import type { CexOrder } from './outbox';
import { toWei } from './venues/exact-math';

export function fillCexOrder(k: Kernel, order: CexOrder): void {
  const cex = k.config.market.cex;
  const w = k.world;
  if (cex === undefined) throw new ConfigError('market.cex', `agent '${k.agents[order.agent]!.id}' sent a CEX order but the market has no CEX`);
  const L = w.ledger;
  const quote = L.tokens.indexOf(cex.quote);
  if (quote < 0) throw new ConfigError('market.cex.quote', `unknown token '${cex.quote}'`);
  if (w.tokenKind[order.token] !== TokenKind.Reference || order.token === quote) {
    throw new ConfigError('market.cex', `agent '${k.agents[order.agent]!.id}' ordered '${L.tokens[order.token]}' on the CEX, which lists only reference-priced tokens against ${cex.quote}`);
  }
  k.cexFills++;
  const mid = w.markPrice(order.token);
  const quoteUsd = w.markPrice(quote);
  const qty = order.qty;
  const size = Math.abs(qty);
  const slip = (cex.halfSpreadBps ?? 0) * BPS + (cex.impact ?? 0) * size;
  const price = qty > 0 ? mid * (1 + slip) : mid * (1 - slip);
  const fee = size * price * (cex.feeBps ?? 0) * BPS;
  const account = w.cexAccount(order.agent);
  if (L.exact !== null) {
    L.xtransfer(CEX, account, order.token, toWei(qty));
    L.xtransfer(account, CEX, quote, toWei((qty * price + fee) / quoteUsd));
  } else {
    L.transfer(CEX, account, order.token, qty);
    L.transfer(account, CEX, quote, (qty * price + fee) / quoteUsd);
  }
  L.add(w.agentCells(order.agent) + AgentCell.CexCostUsd, size * mid * slip + fee);
  if (k.transfers.active) k.transfers.afterCex(order.agent, fee);
}

/** An OTC settlement with the off-chain desk, in the agent's CEX account, counted as options P&L (the outbox checked the amount). */
export function settleOtc(k: Kernel, agent: number, token: number, amount: number): void {
  const w = k.world;
  const L = w.ledger;
  const account = w.cexAccount(agent);
  if (L.exact !== null) L.xtransfer(CEX, account, token, toWei(amount));
  else L.transfer(CEX, account, token, amount);
  L.add(w.agentCells(agent) + AgentCell.OtcUsd, amount * w.markPrice(token));
  if (k.transfers.active) k.transfers.afterOtc(agent);
}
