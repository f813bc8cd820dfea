/**
 * `rebalancing-hedger`: holds the same hedges as the static hedger and restores the target when its
 * trigger fires: value-ratio band, price move, unrealised gain above a multiple of gas, fixed
 * interval, volatility-regime band, under a gas-price ceiling; optionally batching every position
 * into one transaction, and sending privately.
 */
import { Hedger, type HedgerSpec } from './hedger';
import type { HedgeSpec } from './hedges';
import type { TriggerSpec } from './triggers';

export interface RebalancingHedgerSpec extends Omit<HedgerSpec, 'hedges' | 'trigger'> {
  /** One hedge, or several (with `batch` they rebalance together). */
  hedge: HedgeSpec | HedgeSpec[];
  trigger: TriggerSpec;
}

export class RebalancingHedger extends Hedger {
  readonly kind = 'rebalancing-hedger';
  constructor(spec: RebalancingHedgerSpec) {
    super({ ...spec, hedges: Array.isArray(spec.hedge) ? spec.hedge : [spec.hedge] });
  }
}
