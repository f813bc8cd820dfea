/** Build a hedge from its spec. */
import { ConstantMixHedge } from './constant-mix';
import { OptionHedge, type OptionHedgeOptions } from './option';
import { TriadParityHedge } from './triad-parity';
import type { Hedge, HedgeSpec } from './types';

export type { ConstantMixSpec, Hedge, HedgeSpec, HedgeState, OptionSpec, TriadParitySpec } from './types';
export { ConstantMixHedge, OptionHedge, TriadParityHedge };

export function makeHedge(spec: HedgeSpec, options: OptionHedgeOptions = {}): Hedge {
  switch (spec.kind) {
    case 'triad-parity':
      return new TriadParityHedge(spec);
    case 'option':
      return new OptionHedge(spec, options);
    case 'constant-mix':
      return new ConstantMixHedge(spec);
  }
}
