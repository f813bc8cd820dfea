/**
 * Metrics are paths into a run's summary: `agents.<id>.…` and `venues.<id>.…` pick by id, the
 * parts of a pair by index, anything else by key — e.g. `agents.lp.pnl.fees`,
 * `venues.pool.volumeUsd`, `venues.pool.reserves.0`, `builder.priorityFeesUsd`,
 * `agents.band.metrics.rebalances`, `prices.ETH`, `agents.lp.balances.USD`. Sweep files are checked
 * against the summary's layout before any run (summary-layout.ts); what a run still cannot resolve
 * (a name its configuration does not produce) is an error for that metric alone.
 */
export function metricValue(summary: unknown, path: string): number {
  const segs = path.split('.');
  let node: unknown = summary;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const at = segs.slice(0, i).join('.') || 'the top';
    if (Array.isArray(node)) {
      const byId = node.some((x) => typeof x === 'object' && x !== null && 'id' in x);
      node = byId ? node.find((x: { id?: string }) => x?.id === seg) : /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
      if (node === undefined) throw new Error(`no '${seg}' in ${at}${byId ? ` (ids: ${(summaryIds(summary, segs.slice(0, i)) ?? []).join(', ')})` : ''}`);
      continue;
    }
    if (node === null || typeof node !== 'object' || !(seg in node)) {
      // Balances list the non-zero ones only (docs/outputs.md): a token that is not there holds 0.
      if (i === segs.length - 1 && (segs[i - 1] === 'balances' || segs[i - 1] === 'cexBalances') && node !== null && typeof node === 'object') return 0;
      throw new Error(`no '${seg}' in ${at} of the run summary`);
    }
    node = (node as Record<string, unknown>)[seg];
  }
  if (typeof node !== 'number') throw new Error(`'${path}' is not a number in the run summary`);
  return node;
}

function summaryIds(summary: unknown, segs: string[]): string[] | undefined {
  let node: unknown = summary;
  for (const s of segs) node = Array.isArray(node) ? node.find((x: { id?: string }) => x?.id === s) : (node as Record<string, unknown> | undefined)?.[s];
  return Array.isArray(node) ? node.map((x: { id?: string }) => String(x?.id)) : undefined;
}
