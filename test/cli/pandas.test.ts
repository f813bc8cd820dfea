/**
 * The Python snippets of docs/outputs.md run as written in Debian's pandas (python3-pandas, which
 * .ci/run installs) against the files of a real run, the way duckdb.test.ts runs the SQL ones: the
 * pandas block ("Reading the outputs") and the report.html reader (numpy). What they compute is
 * checked against the files. Skipped, saying why, only where no Python with pandas is installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../batch/fixtures';
import { hedgesim, MINIMAL, read, readJson, ROOT, tempDirs } from './helpers';

const temp = tempDirs();
const DOC = readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8');

/** The ```python block that follows `marker` in docs/outputs.md. */
function pythonBlock(marker: string): string {
  const at = DOC.indexOf(marker);
  if (at < 0) throw new Error(`docs/outputs.md: no '${marker}'`);
  const m = /```python\n([\s\S]*?)```/.exec(DOC.slice(at));
  if (m === null) throw new Error(`docs/outputs.md: no python block after '${marker}'`);
  return m[1]!;
}

/** A Python that has pandas: Debian's first (the one python3-pandas installs into), then PATH's. */
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import pandas, numpy'], { stdio: 'ignore' }).status === 0);
if (python === undefined) console.warn('pandas snippets skipped: no python3 with pandas and numpy (apt-get install python3-pandas; .ci/run does)');

interface Tx {
  id: number;
  agent: string;
  status: string;
  revert: string | null;
  calls: unknown[];
}

let dir: string;
beforeAll(() => {
  if (python === undefined) return;
  dir = temp();
  // The snippets read out/minimal, relative to where they run.
  const r = hedgesim(['run', MINIMAL, '--out', join(dir, 'out', 'minimal'), '--record', 'full', '-q']);
  expect(r.code, r.stderr).toBe(0);
});

/** Run `code` (a snippet and checks that print one JSON line after `@@`) in the run's folder. */
function runPython(code: string): Record<string, unknown> {
  const file = join(dir, 'snippet.py');
  writeFileSync(file, code);
  const r = spawnSync(python!, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });
  expect(r.status, r.stderr).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@'));
  expect(line, r.stdout).toBeDefined();
  return JSON.parse(line!.slice(2)) as Record<string, unknown>;
}

describe('the pandas snippets of docs/outputs.md, on a run', () => {
  it.skipIf(python === undefined)('"Reading the outputs": blocks, P&L columns, gaps, transactions by agent and status, calls, P&L parts', () => {
    const snippet = pythonBlock('**pandas**');
    const got = runPython(`${snippet}
import json as _json
print("@@" + _json.dumps({
  "blocks": len(blocks), "lastHours": float(blocks["hours"].iloc[-1]),
  "pnlColumns": list(pnl.columns), "gapMax": float(gap.abs().max()),
  "txs": len(txs), "byStatus": {f"{a}|{s}": int(n) for (a, s), n in txs.groupby(["agent", "status"]).size().items()},
  "calls": len(calls), "callIds": sorted(set(int(i) for i in calls["id"])),
  "parts": {i: {k: float(v) for k, v in row.items()} for i, row in parts.iterrows()},
}))
`);
    const out = join(dir, 'out', 'minimal');
    const [header = [], ...rows] = csvRows(read(out, 'blocks.csv'));
    const col = (name: string): number[] => rows.map((r) => Number(r[header.indexOf(name)]));
    const txs = read(out, 'transactions.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Tx);
    const summary = readJson<{ agents: { id: string; pnl: Record<string, number> }[] }>(out, 'summary.json');
    const byStatus: Record<string, number> = {};
    for (const t of txs) byStatus[`${t.agent}|${t.status}`] = (byStatus[`${t.agent}|${t.status}`] ?? 0) + 1;
    const price = col('pool_price');
    const ref = col('ref_ETH');
    expect(got.blocks).toBe(rows.length);
    expect(got.lastHours).toBeCloseTo(col('time').at(-1)! / 3600, 12);
    expect(got.pnlColumns).toEqual(header.filter((h) => h.includes('pnl_')));
    expect((got.pnlColumns as string[]).length).toBeGreaterThan(0);
    expect(got.gapMax).toBeCloseTo(Math.max(...price.map((p, i) => Math.abs(p / ref[i]! - 1))), 12);
    expect(got.txs).toBe(txs.length);
    expect(got.byStatus).toEqual(byStatus);
    expect(got.calls).toBe(txs.reduce((n, t) => n + t.calls.length, 0));
    expect(got.callIds).toEqual([...new Set(txs.filter((t) => t.calls.length > 0).map((t) => t.id))].sort((a, b) => a - b));
    expect(got.parts).toEqual(Object.fromEntries(summary.agents.map((a) => [a.id, a.pnl])));
  });

  it.skipIf(python === undefined)('report.html: the embedded block columns, read back with numpy, are blocks.csv to the last bit', () => {
    const snippet = pythonBlock('A script can read the data back');
    const got = runPython(`${snippet}
import json as _json
print("@@" + _json.dumps({k: [repr(float(x)) for x in v] for k, v in blocks.items()}))
`);
    const [header = [], ...rows] = csvRows(read(join(dir, 'out', 'minimal'), 'blocks.csv'));
    expect(Object.keys(got)).toEqual(header);
    header.forEach((name, j) => {
      // Python's repr of a float is the shortest text that reads back to the same double, as JavaScript's String is.
      const py = (got[name] as string[]).map((s) => Number(s));
      expect(py, name).toEqual(rows.map((r) => Number(r[j])));
    });
  });
});
