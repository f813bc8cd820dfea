/**
 * `delta-hedger`: an options vault — short (or long) calls and puts priced by Black–Scholes at an
 * implied volatility — hedging delta on the CEX or on a pool when its trigger fires: delta band,
 * fixed interval, price move, or the Whalley–Wilmott no-trade band. Its `options` P&L holds the
 * premium, the payoff and the mark of open options; its hedging error against continuous hedging
 * (gamma slippage) is options + trading P&L before costs.
 */
import { Hedger, type HedgerSpec } from './hedger';
import type { OptionSpec } from './hedges';
import { OptionHedge } from './hedges/option';
import type { TriggerSpec } from './triggers';

export interface DeltaHedgerSpec extends Omit<HedgerSpec, 'hedges' | 'trigger' | 'exit'> {
  options: OptionSpec | OptionSpec[];
  trigger: TriggerSpec;
  /** The initial hedge and the final unwind trade with the OTC desk at the reference price. */
  deltaExchange?: boolean;
  /** Whalley–Wilmott band parameters: proportional cost per unit traded and risk aversion. */
  whalleyWilmott?: { cost: number; riskAversion: number };
}

export class DeltaHedger extends Hedger {
  readonly kind = 'delta-hedger';
  constructor(spec: DeltaHedgerSpec) {
    const options = Array.isArray(spec.options) ? spec.options : [spec.options];
    super(
      { ...spec, hedges: options, batch: spec.batch ?? true },
      { deltaExchange: spec.deltaExchange === true, wwCost: spec.whalleyWilmott?.cost, wwRiskAversion: spec.whalleyWilmott?.riskAversion },
    );
  }

  /**
   * `rebalances` counts the hedge trades that landed after entry (`rebalancesAttempted`, those sent).
   * The trigger loop counts the looks that traded, which misses the unwind at expiry, where delta
   * is exactly 0 or 1.
   */
  override metrics(): Record<string, number> {
    const m = super.metrics();
    let landed = 0;
    let sent = 0;
    for (const h of this.hedges) {
      if (!(h instanceof OptionHedge)) continue;
      landed += h.tradesAfterEntry;
      sent += h.tradesAttemptedAfterEntry;
    }
    m.rebalances = landed;
    m.rebalancesAttempted = sent;
    return m;
  }
}
