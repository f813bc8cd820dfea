/**
 * A measurement point after genesis (`measureFrom`): blocks.csv leaves each agent's `pnl_<agent>`
 * empty before it (P&L is not defined yet) and a number from it on; pnl.csv starts at it; the report
 * is written. A P&L that is not a number from the measurement point on still stops the run (exit 3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesim, MINIMAL, OVERFLOWING, tempDirs } from './helpers';

const temp = tempDirs();

/** blocks.csv as rows of cells (no quoted commas in minimal.yaml's columns). */
function table(file: string): { columns: string[]; rows: string[][] } {
  const [head, ...body] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { columns: head!.split(',').map((c) => c.replace(/"/g, '')), rows: body.map((l) => l.split(',')) };
}

describe('measureFrom after genesis', () => {
  for (const record of ['blocks', 'full'] as const) {
    for (const [set, from] of [['measureFrom.block=20', 20], ['measureFrom.time=240', 20]] as const) {
      it(`--record ${record}, ${set}: pnl cells empty before the point, numbers from it; pnl.csv from it`, () => {
        const dir = temp();
        const r = hedgesim(['run', MINIMAL, '--set', 'duration=10m', '--set', set, '--record', record, '--out', join(dir, 'o'), '-q']);
        expect(r.code, r.stderr).toBe(0);
        const { columns, rows } = table(join(dir, 'o', 'blocks.csv'));
        const pnlCols = columns.map((c, j) => [c, j] as const).filter(([c]) => c.startsWith('pnl_'));
        expect(pnlCols.length).toBeGreaterThan(0);
        for (const row of rows) {
          const block = Number(row[0]);
          for (const [c, j] of pnlCols) {
            if (block < from) expect(row[j], `${c} at block ${block}`).toBe('');
            else expect(Number.isFinite(Number(row[j])) && row[j] !== '', `${c} at block ${block}: '${row[j]}'`).toBe(true);
          }
          // Only the P&L: every other cell of minimal.yaml's table is a number at every block.
          for (let j = 0; j < columns.length; j++) if (!columns[j]!.startsWith('pnl_')) expect(row[j], `${columns[j]} at block ${block}`).not.toBe('');
        }
        const pnl = readFileSync(join(dir, 'o', 'pnl.csv'), 'utf8').trimEnd().split('\n').slice(1);
        expect(pnl.length).toBeGreaterThan(0);
        for (const l of pnl) {
          expect(Number(l.split(',')[0])).toBeGreaterThanOrEqual(from);
          expect(l.split(',').slice(3).every((c) => c !== '' && Number.isFinite(Number(c))), l).toBe(true);
        }
        expect(readFileSync(join(dir, 'o', 'report.html'), 'utf8').length).toBeGreaterThan(1000);
      });
    }
  }

  it('a P&L that overflows after the measurement point still stops the run (exit 3), named as before', () => {
    // The whale's 1e300 ETH grows ×45 a block (μ = 1e7 a year): its P&L leaves float64 at block 5.
    const dir = temp({ 'ovf.yaml': OVERFLOWING });
    const r = hedgesim(['run', 'ovf.yaml', '--out', 'o', '--set', 'measureFrom.block=2'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(/^simulation fault: (OVERFLOW|NAN) at block [2-5]: pnl_whale is /);
  });
});
