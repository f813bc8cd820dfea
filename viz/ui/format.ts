/** Number formats: short ones for axes and tables, exact ones (every digit a float64 has) for tooltips. */
import { format } from 'd3';

const short = format(',.4~g');
const money = format(',.2f');

/** The value exactly as stored (JavaScript's shortest round-trip form), or `—` when missing. */
export function exact(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return String(v);
}

export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1e15 || (v !== 0 && Math.abs(v) < 1e-4) ? v.toExponential(3) : short(v);
}

export function usd(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : money(v);
}

export function signed(v: number): string {
  return `${v > 0 ? '+' : ''}${num(v)}`;
}

/** Simulated seconds as `1d 02:03:04`. */
export function duration(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const d = Math.floor(s / 86400);
  const rest = s - d * 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(Math.floor(rest % 60)).padStart(2, '0');
  return `${d > 0 ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
}
