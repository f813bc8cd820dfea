/**
 * `static-hedger`: enters its hedge once and holds it to the end — the seed's equal-value U + 1/U
 * position in a triad, or an option delta-hedged once at entry (its payoff settles at expiry).
 */
import { Hedger, type HedgerSpec } from './hedger';
import type { HedgeSpec } from './hedges';

export interface StaticHedgerSpec extends Omit<HedgerSpec, 'trigger' | 'hedges' | 'batch' | 'checkEvery'> {
  hedge: HedgeSpec;
}

export class StaticHedger extends Hedger {
  readonly kind = 'static-hedger';
  constructor(spec: StaticHedgerSpec) {
    // Only an option needs looking after (its expiry), or an exit rule; other hedges just sit after genesis.
    super({ ...spec, hedges: [spec.hedge] }, {}, spec.hedge.kind !== 'option' && spec.atBlock === undefined && spec.exit === undefined ? { kind: 'never' } : { kind: 'block' });
  }
}
