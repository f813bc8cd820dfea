/**
 * Metrics are paths into a run's summary: `agents.<id>.…` and `venues.<id>.…` pick by id, anything
 * else by key — e.g. `agents.lp.pnl.fees`, `venues.pool.volumeUsd`, `builder.priorityFeesUsd`,
 * `agents.band.metrics.rebalances`, `prices.ETH`.
 */
export function metricValue(summary: unknown, path: string): number {
  const segs = path.split('.');
  let node: unknown = summary;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (Array.isArray(node)) {
      node = node.find((x: { id?: string }) => x?.id === seg);
      if (node === undefined) throw new Error(`no '${seg}' in ${segs.slice(0, i).join('.')} (ids: ${(summaryIds(summary, segs.slice(0, i)) ?? []).join(', ')})`);
      continue;
    }
    if (node === null || typeof node !== 'object' || !(seg in node)) throw new Error(`no '${seg}' at ${segs.slice(0, i).join('.') || 'the top'} of the run summary`);
    node = (node as Record<string, unknown>)[seg];
  }
  if (typeof node !== 'number') throw new Error(`'${path}' is not a number in the run summary`);
  return node;
}

function summaryIds(summary: unknown, segs: string[]): string[] | undefined {
  let node: unknown = summary;
  for (const s of segs) node = (node as Record<string, unknown> | undefined)?.[s];
  return Array.isArray(node) ? node.map((x: { id?: string }) => String(x?.id)) : undefined;
}
