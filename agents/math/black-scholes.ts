/**
 * Black–Scholes prices and greeks for European calls and puts (no dividends), with the cumulative
 * normal by Hart's algorithm as given by West (2005), accurate to double precision.
 * Time in years, rates and volatilities per year.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal cumulative distribution Φ(x). */
export function normCdf(x: number): number {
  const a = Math.abs(x);
  let c: number;
  if (a > 37) c = 0;
  else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

export type OptionKind = 'call' | 'put';

export interface OptionTerms {
  kind: OptionKind;
  strike: number;
}

function d1d2(spot: number, strike: number, years: number, vol: number, rate: number): [number, number] {
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / sd;
  return [d1, d1 - sd];
}

/** Price of one option; at or after expiry, its payoff. */
export function bsPrice(o: OptionTerms, spot: number, years: number, vol: number, rate = 0): number {
  if (!(years > 0) || !(vol > 0)) return payoff(o, spot);
  const [d1, d2] = d1d2(spot, o.strike, years, vol, rate);
  const df = Math.exp(-rate * years);
  return o.kind === 'call' ? spot * normCdf(d1) - o.strike * df * normCdf(d2) : o.strike * df * normCdf(-d2) - spot * normCdf(-d1);
}

/** ∂price/∂spot of one option; at expiry the payoff's slope (0 or ±1). */
export function bsDelta(o: OptionTerms, spot: number, years: number, vol: number, rate = 0): number {
  if (!(years > 0) || !(vol > 0)) {
    if (o.kind === 'call') return spot > o.strike ? 1 : 0;
    return spot < o.strike ? -1 : 0;
  }
  const [d1] = d1d2(spot, o.strike, years, vol, rate);
  return o.kind === 'call' ? normCdf(d1) : normCdf(d1) - 1;
}

/** ∂²price/∂spot² of one option (the same for calls and puts). */
export function bsGamma(o: OptionTerms, spot: number, years: number, vol: number, rate = 0): number {
  if (!(years > 0) || !(vol > 0)) return 0;
  const [d1] = d1d2(spot, o.strike, years, vol, rate);
  return normPdf(d1) / (spot * vol * Math.sqrt(years));
}

export function payoff(o: OptionTerms, spot: number): number {
  return o.kind === 'call' ? Math.max(spot - o.strike, 0) : Math.max(o.strike - spot, 0);
}

/**
 * Whalley–Wilmott asymptotic no-trade half-width around the Black–Scholes delta, for proportional
 * cost `cost` (fraction of value traded) and risk aversion `riskAversion`:
 * H = (3/2 · e^{−rτ} · cost · S · Γ² / γ)^{1/3}.
 */
export function whalleyWilmottBand(gamma: number, spot: number, cost: number, riskAversion: number, years: number, rate = 0): number {
  return Math.cbrt((1.5 * Math.exp(-rate * years) * cost * spot * gamma * gamma) / riskAversion);
}
