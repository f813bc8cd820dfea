/** The sweep viewer's data: inlined in sweep.html, or sweep.json + summary.csv served by `hedgesim view`. */
import { fail } from '../data/errors';
import { checkSweep, fromSweepFiles, type SweepData } from '../data/sweep';

async function get(name: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(name);
  } catch (e) {
    return fail(`could not load ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) fail(`could not load ${name}: HTTP ${res.status}`);
  return res.text();
}

function json(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(`${what} is malformed or truncated (${e instanceof Error ? e.message : String(e)})`);
  }
}

export async function loadSweep(): Promise<SweepData> {
  const inline = document.getElementById('hedgesim-sweep');
  if (inline !== null) {
    if ((inline.textContent ?? '').trim() === '') fail('this page has no sweep data');
    return checkSweep(json(inline.textContent ?? '', 'the sweep data'));
  }
  if (document.getElementById('hedgesim-source') !== null) {
    const [meta, summary] = await Promise.all([get('sweep.json'), get('summary.csv')]);
    return fromSweepFiles(json(meta, 'sweep.json'), summary);
  }
  return fail('this page has no sweep data (the file may be truncated)');
}

/** A metric's unit, guessed from its path in the summary (P&L and USD amounts), or ''. */
export function metricUnit(path: string): string {
  if (/\.pnl\.|Usd\b|Usd$|Value$/.test(path)) return 'USD';
  if (/\.metrics\./.test(path)) return 'count';
  return '';
}
