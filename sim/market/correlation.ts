/**
 * Correlated assets: validate a correlation matrix and factor it, C = L·Lᵀ, so that L·z turns
 * independent standard normals z into correlated ones.
 *
 * Whether a matrix is positive semi-definite is decided by its smallest eigenvalue (Jacobi), not
 * by the signs of Cholesky pivots: near a singular matrix (correlations of ±0.99999…) rounding in
 * the factorisation is divided by tiny pivots and can flip a pivot's sign by far more than the
 * matrix is off. A matrix is accepted when its smallest eigenvalue is ≥ −1e-9; the factor then
 * treats pivots rounding can no longer tell from zero as zero.
 *
 * The factor is lower-triangular on purpose: asset i's path depends only on the first i + 1 draws,
 * so adding an asset after the others leaves their paths unchanged (common random numbers).
 */
import { ConfigError } from '../errors';

/** Smallest eigenvalue of a symmetric matrix, by cyclic Jacobi rotations (n is a handful of assets). */
export function smallestEigenvalue(m: readonly (readonly number[])[], n: number): number {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = m[i]![j]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  let min = Infinity;
  for (let i = 0; i < n; i++) min = Math.min(min, a[i * n + i]!);
  return min;
}

/**
 * Pivots at or below this are taken as zero (the asset adds no new randomness there). Zeroing a
 * pivot d² perturbs the matrix by about d; keeping a small one divides the input's rounding (1e-16)
 * by d². ε^(2/3) balances the two: L·Lᵀ reproduces any accepted matrix within about 5e-6, and a
 * well-conditioned one to rounding.
 */
const PIVOT_FLOOR = 2e-11;

/** Lower-triangular Cholesky factor of a correlation matrix, validated. */
export function cholesky(m: readonly (readonly number[])[], n: number): Float64Array {
  if (m.length !== n || m.some((row) => row.length !== n)) {
    throw new ConfigError('market.correlation', `must be a ${n}×${n} matrix over the market's assets`);
  }
  for (let i = 0; i < n; i++) {
    if (m[i]![i] !== 1) throw new ConfigError(`market.correlation[${i}][${i}]`, 'diagonal entries must be 1');
    for (let j = 0; j < n; j++) {
      const c = m[i]![j]!;
      if (c !== m[j]![i]) throw new ConfigError(`market.correlation[${i}][${j}]`, 'the matrix must be symmetric');
      if (!(c >= -1 && c <= 1)) throw new ConfigError(`market.correlation[${i}][${j}]`, 'entries must lie in [-1, 1]');
    }
  }
  const lambda = smallestEigenvalue(m, n);
  if (lambda < -1e-9) {
    throw new ConfigError('market.correlation', `the matrix is not positive semi-definite (smallest eigenvalue ${lambda.toPrecision(3)})`);
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) l[i * n + i] = s > PIVOT_FLOOR ? Math.sqrt(s) : 0;
      else {
        const d = l[j * n + j]!;
        l[i * n + j] = d > 0 ? s / d : 0;
      }
    }
  }
  return l;
}
