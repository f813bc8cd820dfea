/** The agent catalogue: one file per kind; `createAgent` builds one from its plain spec. */
import type { Agent } from '../sim/agent';
import { Arbitrageur, type ArbitrageurSpec } from './arbitrageur';
import { LiquidityProvider, type LpSpec } from './lp';
import { NoiseTrader, type NoiseSpec } from './noise';
import { ScriptedAgent, type ScriptedSpec } from './scripted';
import { Tracker, type TrackerSpec } from './tracker';

export type AgentSpec =
  | ({ kind: 'lp' } & LpSpec)
  | ({ kind: 'noise' } & NoiseSpec)
  | ({ kind: 'arbitrageur' } & ArbitrageurSpec)
  | ({ kind: 'tracker' } & TrackerSpec)
  | ({ kind: 'scripted' } & ScriptedSpec);

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
    case 'scripted':
      return new ScriptedAgent(spec);
  }
}

export { Arbitrageur, LiquidityProvider, NoiseTrader, ScriptedAgent, Tracker };
export type { ArbitrageurSpec, LpSpec, NoiseSpec, ScriptedSpec, TrackerSpec };
