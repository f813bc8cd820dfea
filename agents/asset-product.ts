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
  /** One asset with exponent ½ (the seed's √P target): Math.sqrt, which is what Math.pow(p, 0.5) computes for p > 0 (fdlibm), without the call. */
  private sqrtOf = -1;

  constructor(private readonly spec: AssetProductSpec) {
    this.scale = spec.scale ?? 1;
  }

  setup(ctx: SetupContext): void {
    for (const [name, e] of Object.entries(this.spec.assets)) {
      this.assets.push(ctx.asset(name));
      this.exponents.push(e);
    }
    if (this.assets.length === 1 && this.exponents[0] === 0.5) this.sqrtOf = this.assets[0]!;
  }

  /** Its USD value at the reference prices the agent sees. */
  usd(view: View): number {
    if (this.sqrtOf >= 0) {
      const p = view.refPrice(this.sqrtOf);
      if (p > 0) return this.scale * Math.sqrt(p);
    }
    let usd = this.scale;
    for (let i = 0; i < this.assets.length; i++) usd *= Math.pow(view.refPrice(this.assets[i]!), this.exponents[i]!);
    return usd;
  }
}
