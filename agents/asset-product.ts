/**
 * A USD value made from reference prices, scale · Π P_asset^exponent: a tracker's target and a
 * speculator's fair value of one U (e.g. √(pA·pB) for the seed's U = √(A·B)).
 */
import type { SetupContext, View } from '../sim/agent';

export interface AssetProductSpec {
  assets: Record<string, number>;
  scale?: number;
}

export class AssetProduct {
  private readonly assets: number[] = [];
  private readonly exponents: number[] = [];
  private readonly scale: number;

  constructor(private readonly spec: AssetProductSpec) {
    this.scale = spec.scale ?? 1;
  }

  setup(ctx: SetupContext): void {
    for (const [name, e] of Object.entries(this.spec.assets)) {
      this.assets.push(ctx.asset(name));
      this.exponents.push(e);
    }
  }

  /** Its USD value at the reference prices the agent sees. */
  usd(view: View): number {
    let usd = this.scale;
    for (let i = 0; i < this.assets.length; i++) usd *= Math.pow(view.refPrice(this.assets[i]!), this.exponents[i]!);
    return usd;
  }
}
