/** The agent catalogue: one file per kind; `createAgent` builds one from its plain spec. */
import type { Agent } from '../sim/agent';
import { Arbitrageur, type ArbitrageurSpec } from './arbitrageur';
import { LiquidityProvider, type LpSpec } from './lp';
import { NoiseTrader, type NoiseSpec } from './noise';
import { ScriptedAgent, type ScriptedSpec } from './scripted';
import { Tracker, type TrackerSpec } from './tracker';
import { Speculator, type SpeculatorSpec } from './speculator';
import { StaticHedger, type StaticHedgerSpec } from './static-hedger';
import { RebalancingHedger, type RebalancingHedgerSpec } from './rebalancing-hedger';
import { DeltaHedger, type DeltaHedgerSpec } from './delta-hedger';
import { Searcher, type SearcherSpec } from './searcher/searcher';

export type AgentSpec =
  | ({ kind: 'lp' } & LpSpec)
  | ({ kind: 'noise' } & NoiseSpec)
  | ({ kind: 'arbitrageur' } & ArbitrageurSpec)
  | ({ kind: 'tracker' } & TrackerSpec)
  | ({ kind: 'speculator' } & SpeculatorSpec)
  | ({ kind: 'scripted' } & ScriptedSpec)
  | ({ kind: 'static-hedger' } & StaticHedgerSpec)
  | ({ kind: 'rebalancing-hedger' } & RebalancingHedgerSpec)
  | ({ kind: 'delta-hedger' } & DeltaHedgerSpec)
  | ({ kind: 'searcher' } & SearcherSpec);

export type AgentKind = AgentSpec['kind'];

export function createAgent(spec: AgentSpec): Agent {
  switch (spec.kind) {
    case 'lp':
      return new LiquidityProvider(spec);
    case 'noise':
      return new NoiseTrader(spec);
    case 'arbitrageur':
      return new Arbitrageur(spec);
    case 'tracker':
      return new Tracker(spec);
    case 'speculator':
      return new Speculator(spec);
    case 'scripted':
      return new ScriptedAgent(spec);
    case 'static-hedger':
      return new StaticHedger(spec);
    case 'rebalancing-hedger':
      return new RebalancingHedger(spec);
    case 'delta-hedger':
      return new DeltaHedger(spec);
    case 'searcher':
      return new Searcher(spec);
  }
}

export { Arbitrageur, DeltaHedger, LiquidityProvider, NoiseTrader, RebalancingHedger, ScriptedAgent, Searcher, Speculator, StaticHedger, Tracker };
export type { ArbitrageurSpec, DeltaHedgerSpec, LpSpec, NoiseSpec, RebalancingHedgerSpec, ScriptedSpec, SearcherSpec, SpeculatorSpec, StaticHedgerSpec, TrackerSpec };
