/**
 * Checks that need the whole file: references between sections (a venue naming a token, an agent
 * naming a venue, a token priced by an asset), the correlation matrix against the assets, blocks
 * versus duration. They read the raw data defensively, so they run (and report) alongside the
 * schema's own problems; a field of the wrong type is left to the schema.
 */
import { cholesky } from '../sim/market/market';
import type { RawProblem } from './issues';
import { BACKGROUND_PRESETS } from './schema-gas';
import { DEFAULT_INITIAL_BASE_FEE, MAX_BLOCKS, parseDuration } from './schema-parts';
import { isRecord } from './schema-walk';
import type { PathSeg } from './source';
import { nearest } from './suggest';

type Data = Record<string, unknown>;

const entries = (x: unknown): [string, unknown][] => (isRecord(x) ? Object.entries(x) : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const mean = (s: string | undefined) => (s === undefined ? '' : ` (did you mean '${s}'?)`);
const list = (names: Iterable<string>) => [...names].join(', ') || '(none)';
const article = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

/**
 * Problems with references and cross-field rules in the raw (override-applied) data; `set`: the
 * top-level fields that `--set` gave.
 */
export function checkScenario(data: Data, set: ReadonlySet<string> = new Set()): RawProblem[] {
  const out: RawProblem[] = [];
  // A section of the wrong shape is reported by the schema; references into it would only add noise.
  const sectionOk: Record<string, boolean> = {
    token: isRecord(data.tokens) && (data.venues === undefined || isRecord(data.venues)),
    venue: data.venues === undefined || isRecord(data.venues),
    'market asset': isRecord(data.market) && isRecord(data.market.assets),
  };
  const ref = (path: PathSeg[], what: string, name: string, known: Iterable<string>, at: 'node' | 'key' = 'node') => {
    if (sectionOk[what] === false) return;
    const s = nearest(name, known);
    out.push({ path, at, message: `unknown ${what} '${name}'${mean(s)}; ${what === 'market asset' ? 'assets' : `${what}s`}: ${list(known)}`, ...(s ? { suggestion: s } : {}) });
  };

  checkLength(data, set, out);
  const market = isRecord(data.market) ? data.market : {};
  const assets = entries(market.assets).map(([k]) => k);
  const assetKinds = new Map(entries(market.assets).map(([k, v]) => [k, isRecord(v) ? str(v.kind) : undefined]));

  // Tokens priced by an asset (by default the one of the same name).
  for (const [name, t] of entries(data.tokens)) {
    const asset = isRecord(t) ? str(t.asset) : undefined;
    if (asset !== undefined) {
      if (!assets.includes(asset)) ref(['tokens', name, 'asset'], 'market asset', asset, assets);
    } else if (!(isRecord(t) && t.usd !== undefined) && !assets.includes(name) && sectionOk['market asset']) {
      out.push({ path: ['tokens', name], at: 'key', message: `token '${name}' is priced by the market asset of the same name, but there is none; give \`usd: <price>\` or \`asset: <id>\` (assets: ${list(assets)})` });
    }
  }

  // Venues, in order: each may create tokens (LP shares, U, 1/U, "1") later venues and agents use.
  const known = new Set(entries(data.tokens).map(([k]) => k));
  const venueKind = new Map<string, string>();
  const venueTokens = new Map<string, string[]>();
  /** Each triad's "1" token. */
  const triadOne = new Map<string, string>();
  for (const [id, v] of entries(data.venues)) {
    if (!isRecord(v)) continue;
    const kind = str(v.kind);
    venueKind.set(id, kind ?? '');
    const path = ['venues', id];
    const create = (name: string, field: string, what: string) => {
      if (known.has(name)) out.push({ path: [...path, ...(v[field] === undefined ? [] : [field])], at: v[field] === undefined ? 'key' : 'node', message: `the ${what} '${name}' is already a token; give the venue's \`${field}\` another name` });
      known.add(name);
    };
    if (kind === 'cpmm') {
      const tokens = Array.isArray(v.tokens) ? v.tokens : [];
      tokens.forEach((t, j) => {
        if (typeof t === 'string' && !known.has(t)) ref([...path, 'tokens', j], 'token', t, known);
      });
      venueTokens.set(id, tokens.filter((t): t is string => typeof t === 'string'));
      create(str(v.lpToken) ?? `LP-${id}`, 'lpToken', 'LP share token');
      const fee = v.feeBps;
      if (data.numeric === 'exact' && typeof fee === 'number' && !Number.isInteger(Math.round((fee / 10_000) * 1e10) / 1e4)) {
        out.push({ path: [...path, 'feeBps'], message: `numeric: exact needs a fee in whole pips (multiples of 0.01 bp), found ${fee}` });
      }
    } else if (kind === 'triad') {
      known.add(str(v.one) ?? '1');
      triadOne.set(id, str(v.one) ?? '1');
      const unit = str(v.unit);
      if (unit === undefined) continue;
      known.add(unit);
      create(str(v.reciprocal) ?? `1/${unit}`, 'reciprocal', 'reciprocal token');
      venueTokens.set(id, [unit, str(v.reciprocal) ?? `1/${unit}`]);
      const anchor = str(v.anchor);
      if (anchor !== undefined && !known.has(anchor)) ref([...path, 'anchor'], 'token', anchor, known);
      // The unit cannot wrap itself, nor be its own invariant token: the triad would have two tokens.
      if (anchor === unit) out.push({ path: [...path, 'anchor'], message: `the triad's unit '${unit}' cannot be its own anchor (U wraps its anchor 1:1); anchor it to another token, or leave anchor out for a floating unit` });
      if ((str(v.one) ?? '1') === unit) out.push({ path: [...path, v.one === undefined ? 'unit' : 'one'], message: `the triad's unit '${unit}' cannot be its own invariant token "one": give the unit (or one) another name` });
    }
  }

  const chain = isRecord(data.chain) ? data.chain : {};
  const native = str(chain.nativeToken);
  if (native !== undefined && !known.has(native)) ref(['chain', 'nativeToken'], 'token', native, known);
  checkBaseFee(chain, out);
  checkBackground(chain, out);
  const quote = isRecord(market.cex) ? str(market.cex.quote) : undefined;
  if (quote !== undefined && !known.has(quote)) ref(['market', 'cex', 'quote'], 'token', quote, known);

  checkCorrelation(market.correlation, assets, assetKinds, out);

  // Agents: venues of the right kind, tokens they hold or trade, assets they track.
  const venues = [...venueKind.keys()];
  const needs: Record<string, string> = { noise: 'cpmm', arbitrageur: 'cpmm', tracker: 'triad', speculator: 'triad' };
  const agentIds = entries(data.agents).map(([k]) => k);
  for (const [id, a] of entries(data.agents)) {
    if (!isRecord(a)) continue;
    const path = ['agents', id];
    const venueRef = (p: PathSeg[], name: unknown, need?: string) => {
      if (typeof name !== 'string') return;
      const kind = venueKind.get(name);
      if (kind === undefined) ref(p, 'venue', name, venues);
      else if (need !== undefined && kind !== need && (kind === 'cpmm' || kind === 'triad')) out.push({ path: p, message: `${article(String(a.kind))} agent needs a ${need} venue; '${name}' is a ${kind}` });
    };
    venueRef([...path, 'venue'], a.venue, needs[String(a.kind)]);
    if (a.kind === 'noise') checkArrivals(a.meanInterval, chain.blockTime, [...path, 'meanInterval'], out);
    for (const book of ['balances', 'cexBalances']) {
      for (const [t] of entries(a[book])) if (!known.has(t)) ref([...path, book, t], 'token', t, known, 'key');
    }
    if (isRecord(a.target)) {
      for (const [asset] of entries(a.target.assets)) if (!assets.includes(asset)) ref([...path, 'target', 'assets', asset], 'market asset', asset, assets, 'key');
    }
    if (isRecord(a.fair)) {
      for (const [asset] of entries(a.fair.assets)) if (!assets.includes(asset)) ref([...path, 'fair', 'assets', asset], 'market asset', asset, assets, 'key');
    }
    const hasCex = isRecord(market.cex);
    if (a.kind === 'arbitrageur' && a.hedge === true && !hasCex && a.triad === undefined) out.push({ path: [...path, 'hedge'], message: 'hedging fills needs a CEX: add market.cex' });
    if (a.kind === 'arbitrageur' && a.triad !== undefined) {
      venueRef([...path, 'triad'], a.triad, 'triad');
      const pool = venueTokens.get(String(a.venue));
      const sides = venueTokens.get(String(a.triad));
      const one = triadOne.get(String(a.triad));
      if (venueKind.get(String(a.venue)) === 'cpmm' && pool !== undefined && sides !== undefined && one !== undefined) {
        const other = pool[0] === one ? pool[1] : pool[1] === one ? pool[0] : undefined;
        if (other === undefined || !sides.includes(other)) {
          out.push({ path: [...path, 'venue'], message: `pool '${String(a.venue)}' trades ${pool.join(' and ')}; a triad arbitrage needs a pool of one of the tokens of triad '${String(a.triad)}' (${sides.join(', ')}) against its "${one}"` });
        }
      }
      if (a.hedge === true) out.push({ path: [...path, 'hedge'], message: 'a triad arbitrage has no CEX fills to hedge: drop hedge or triad' });
    }
    for (const [hedge, p] of hedgesOf(a, path)) {
      if (hedge.kind === 'triad-parity') venueRef([...p, 'venue'], hedge.venue, 'triad');
      if (hedge.kind === 'constant-mix') {
        if (!hasCex) out.push({ path: p, message: 'a constant-mix hedge trades on the CEX: add market.cex' });
        for (const [t] of entries(hedge.weights)) if (!known.has(t)) ref([...p, 'weights', t], 'token', t, known, 'key');
      }
      if (hedge.kind === 'option') {
        const asset = str(hedge.asset);
        if (asset !== undefined && !assets.includes(asset)) ref([...p, 'asset'], 'market asset', asset, assets);
        const token = str(hedge.token) ?? (asset !== undefined && assets.includes(asset) ? asset : undefined);
        if (token !== undefined && !known.has(token)) ref([...p, hedge.token === undefined ? 'asset' : 'token'], 'token', token, known);
        const on = str(hedge.hedgeOn) ?? 'cex';
        if (on === 'cex' && !hasCex) out.push({ path: [...p, ...(hedge.hedgeOn === undefined ? [] : ['hedgeOn'])], message: 'the option is hedged on the CEX (hedgeOn: cex), but the market has no cex' });
        else if (on !== 'cex') venueRef([...p, 'hedgeOn'], on, 'cpmm');
      }
    }
    if (a.kind === 'searcher' && isRecord(a.strategies)) checkSearcher(a.strategies, [...path, 'strategies'], venueRef, (p, name) => agentIds.includes(name) || ref(p, 'agent', name, agentIds), out);
    if (usesTrigger(a.trigger, 'whalley-wilmott') && !(a.kind === 'delta-hedger' && isRecord(a.whalleyWilmott))) {
      const why = a.kind === 'delta-hedger' ? 'needs the agent\'s `whalleyWilmott: { cost, riskAversion }`' : 'applies to option hedges of a delta-hedger only';
      out.push({ path: [...path, 'trigger'], message: `the whalley-wilmott trigger ${why}; without it the trigger never fires` });
    }
    if (Array.isArray(a.actions)) {
      a.actions.forEach((act: unknown, i) => {
        if (!isRecord(act)) return;
        const p = [...path, 'actions', i];
        venueRef([...p, 'venue'], act.venue);
        for (const field of ['pay', 'receive', 'token']) {
          const t = str(act[field]);
          if (t === undefined) continue;
          const pool = venueTokens.get(String(act.venue));
          if (field !== 'token' && pool !== undefined && venueKind.get(String(act.venue)) === 'cpmm') {
            if (!pool.includes(t)) out.push({ path: [...p, field], message: `'${t}' is not a token of pool '${String(act.venue)}' (${pool.join(', ')})` });
          } else if (!known.has(t)) ref([...p, field], 'token', t, known);
        }
      });
    }
  }
  return out;
}

type VenueRef = (path: PathSeg[], name: unknown, need?: string) => void;

/** A searcher's strategies name venues (pools for back-runs and arbitrage) and a target agent. */
function checkSearcher(st: Data, path: PathSeg[], venueRef: VenueRef, agentRef: (path: PathSeg[], name: string) => void, out: RawProblem[]): void {
  for (const [name, need] of [['sandwich', undefined], ['backrun', 'cpmm']] as const) {
    const s = st[name];
    if (isRecord(s) && Array.isArray(s.venues)) s.venues.forEach((v: unknown, i) => venueRef([...path, name, 'venues', i], v, need));
  }
  if (isRecord(st.arbitrage)) venueRef([...path, 'arbitrage', 'venue'], st.arbitrage.venue, 'cpmm');
  const adv = st.adversary;
  if (isRecord(adv)) {
    venueRef([...path, 'adversary', 'venue'], adv.venue);
    if (typeof adv.target === 'string') agentRef([...path, 'adversary', 'target'], adv.target);
    // It pushes across a price threshold: a price move, or the move a value-ratio band implies.
    const t = isRecord(adv.trigger) ? adv.trigger : undefined;
    const inner = t?.kind === 'gas-ceiling' && isRecord(t.trigger) ? t.trigger : t;
    if (inner !== undefined && typeof inner.kind === 'string' && inner.kind !== 'price-move' && inner.kind !== 'band') {
      out.push({ path: [...path, 'adversary', 'trigger', ...(inner === t ? [] : ['trigger']), 'kind'], message: `the adversary can push a price across a price-move or band trigger only, not '${inner.kind}'` });
    }
  }
}

/** The hedges of a hedger agent (`hedge`: one or a list; `options`: one or a list), with their paths. */
function hedgesOf(a: Data, path: PathSeg[]): [Data, PathSeg[]][] {
  const out: [Data, PathSeg[]][] = [];
  for (const field of ['hedge', 'options']) {
    const v = a[field];
    if (Array.isArray(v)) v.forEach((h: unknown, i) => isRecord(h) && out.push([h, [...path, field, i]]));
    else if (isRecord(v)) out.push([v, [...path, field]]);
  }
  return out;
}

/** Whether a trigger (or one it wraps) is of `kind`. */
function usesTrigger(t: unknown, kind: string): boolean {
  if (!isRecord(t)) return false;
  if (t.kind === kind) return true;
  return usesTrigger(t.trigger, kind) || (Array.isArray(t.triggers) && t.triggers.some((x) => usesTrigger(x, kind)));
}

/**
 * Exactly one of `blocks` and `duration`, and a duration of at most MAX_BLOCKS blocks. When `--set`
 * gave one and the file the other, the way out is to set the file's one (`--set` cannot remove a field).
 */
function checkLength(data: Data, set: ReadonlySet<string>, out: RawProblem[]): void {
  if (data.blocks !== undefined && data.duration !== undefined) {
    const [given, other] = set.has('blocks') && !set.has('duration') ? ['duration', 'blocks'] : set.has('duration') && !set.has('blocks') ? ['blocks', 'duration'] : [];
    const hint = given === undefined ? '' : ` (the file gives ${given}, --set gives ${other}: to change the length, use --set ${given}=… instead; --set cannot remove a field)`;
    out.push({ path: ['duration'], at: 'key', message: `give either blocks or duration, not both${hint}` });
  } else if (data.blocks === undefined && data.duration === undefined) {
    out.push({ path: ['blocks'], message: "missing required field 'blocks' or 'duration' (how long to run)" });
  } else if (data.duration !== undefined && isRecord(data.chain) && typeof data.chain.blockTime === 'number' && data.chain.blockTime > 0) {
    const seconds = typeof data.duration === 'number' ? data.duration : typeof data.duration === 'string' ? parseDuration(data.duration) : NaN;
    const blocks = Math.ceil(seconds / data.chain.blockTime - 1e-9);
    if (blocks > MAX_BLOCKS) {
      out.push({ path: ['duration'], message: `is ${blocks.toLocaleString('en-US')} blocks of ${data.chain.blockTime} s, more than the maximum ${MAX_BLOCKS.toLocaleString('en-US')}` });
    }
  }
}

/**
 * The base fee starts at or above its floor: below it, the first block would be built at `initial`
 * and every later one at `min` at least (and a `fixed` fee would be raised to `min` in exact mode
 * but not in float mode). Reported at `initial`, or at `min` when `initial` is left at its default.
 */
function checkBaseFee(chain: Data, out: RawProblem[]): void {
  const fee = isRecord(chain.baseFee) ? chain.baseFee : undefined;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (fee === undefined) return;
  // The engine counts the base fee in wei (× 1e9): beyond that, even the first block's fee is not a number.
  for (const field of ['initial', 'min'] as const) {
    const x = fee[field];
    if (finite(x) && !Number.isFinite(x * 1e9)) out.push({ path: ['chain', 'baseFee', field], message: `must be below 1e299 gwei (in wei, × 1e9, it would exceed the largest number, about 1.8e308), found ${x}` });
  }
  // Replayed fees override initial, min and max.
  if (fee.mode === 'csv') return;
  if (finite(fee.max)) {
    const initial = fee.initial === undefined ? DEFAULT_INITIAL_BASE_FEE : fee.initial;
    if (finite(initial) && initial > fee.max) {
      out.push({ path: ['chain', 'baseFee', fee.initial === undefined ? 'max' : 'initial'], message: `must be ${fee.initial === undefined ? `≥ chain.baseFee.initial (${DEFAULT_INITIAL_BASE_FEE} gwei by default)` : `≤ chain.baseFee.max (${fee.max} gwei), the cap of the base fee`}, found ${fee.initial === undefined ? fee.max : initial}: the fee would start above its cap` });
    }
  }
  if (!finite(fee.min)) return;
  const min = fee.min;
  if (fee.initial === undefined) {
    if (DEFAULT_INITIAL_BASE_FEE < min) out.push({ path: ['chain', 'baseFee', 'min'], message: `must be ≤ chain.baseFee.initial (${DEFAULT_INITIAL_BASE_FEE} gwei by default), found ${min}: the base fee would start below its floor; give initial too, at least ${min}` });
    return;
  }
  if (finite(fee.initial) && fee.initial < min) {
    out.push({ path: ['chain', 'baseFee', 'initial'], message: `must be ≥ chain.baseFee.min (${min} gwei), the floor of the base fee, found ${fee.initial}: the fee would start below its floor; lower min to ${fee.initial} or less as well` });
  }
}

/**
 * The elastic background's fee dynamics are stable and monotone only for β ≤ D (the fee's AR
 * coefficient about its median is 1 − β/D), and it cannot lift a zero fee (EIP-1559 moves it by
 * multiples of itself).
 */
function checkBackground(chain: Data, out: RawProblem[]): void {
  const bg = isRecord(chain.background) ? chain.background : undefined;
  if (bg === undefined || bg.model !== 'elastic') return;
  const fee = isRecord(chain.baseFee) ? chain.baseFee : {};
  if (fee.mode === 'csv' || fee.mode === 'fixed') return;
  const preset = typeof bg.preset === 'string' ? BACKGROUND_PRESETS[bg.preset as keyof typeof BACKGROUND_PRESETS] : undefined;
  const beta = typeof bg.priceElasticity === 'number' ? bg.priceElasticity : preset?.priceElasticity;
  const d = typeof fee.maxChangeDenominator === 'number' ? fee.maxChangeDenominator : 8;
  if (beta !== undefined && beta > d) {
    out.push({ path: ['chain', 'background', bg.priceElasticity === undefined ? 'preset' : 'priceElasticity'], message: `must be at most chain.baseFee.maxChangeDenominator (${d}), found ${beta}: a larger price elasticity makes the fee overshoot its median every block` });
  }
  const initial = typeof fee.initial === 'number' ? fee.initial : DEFAULT_INITIAL_BASE_FEE;
  const min = typeof fee.min === 'number' ? fee.min : 0;
  if (initial === 0 && min === 0) out.push({ path: ['chain', 'baseFee', 'initial'], message: 'must be > 0 with an elastic background (or give min > 0): EIP-1559 moves the fee by fractions of itself, so a zero fee stays zero' });
}

/** Orders per block a noise trader may send on average: beyond, a block's orders would not fit in memory. */
export const MAX_ORDERS_PER_BLOCK = 10_000;

/** A mean interval so short against the block time that each block would draw millions of orders. */
function checkArrivals(meanInterval: unknown, blockTime: unknown, path: PathSeg[], out: RawProblem[]): void {
  const interval = typeof meanInterval === 'number' ? meanInterval : typeof meanInterval === 'string' ? parseDuration(meanInterval) : Number.NaN;
  if (typeof blockTime !== 'number' || !(blockTime > 0) || !(interval > 0)) return;
  const perBlock = blockTime / interval;
  if (perBlock > MAX_ORDERS_PER_BLOCK) {
    out.push({ path, message: `must be at least ${blockTime / MAX_ORDERS_PER_BLOCK} seconds (chain.blockTime / ${MAX_ORDERS_PER_BLOCK}): ${interval} s means ${perBlock.toPrecision(3)} orders a block on average, more than ${MAX_ORDERS_PER_BLOCK}` });
  }
}

/** A symmetric n×n matrix over the assets, ones on the diagonal, positive semi-definite. */
function checkCorrelation(corr: unknown, assets: string[], kinds: Map<string, string | undefined>, out: RawProblem[]): void {
  if (!Array.isArray(corr)) return;
  const n = assets.length;
  const path: PathSeg[] = ['market', 'correlation'];
  if (corr.length !== n) {
    out.push({ path, message: `must be a ${n}×${n} matrix over the assets (${list(assets)}), found ${corr.length} row${corr.length === 1 ? '' : 's'}` });
    return;
  }
  let ok = true;
  corr.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) return void (ok = false);
    if (row.length !== n) {
      out.push({ path: [...path, i], message: `row ${i} (${assets[i]}) must have ${n} entries, found ${row.length}` });
      ok = false;
      return;
    }
    row.forEach((c: unknown, j) => {
      if (typeof c !== 'number') return void (ok = false);
      const other = (corr[j] as unknown[] | undefined)?.[i];
      if (i === j && c !== 1) out.push({ path: [...path, i, j], message: `diagonal entries must be 1, found ${c}` });
      else if (j < i && typeof other === 'number' && other !== c) out.push({ path: [...path, i, j], message: `must equal [${j}][${i}] = ${other} (the matrix is symmetric), found ${c}` });
      else if (i !== j && c !== 0) {
        const kind = kinds.get(assets[i]!);
        if (kind === 'constant' || kind === 'path' || kind === 'csv') {
          out.push({ path: [...path, i, j], message: `asset '${assets[i]}' (${kind}) takes no random shock and cannot be correlated; found ${c}` });
        }
      }
      if (!(c >= -1 && c <= 1)) ok = false;
    });
  });
  if (ok && out.every((p) => p.path[0] !== 'market' || p.path[1] !== 'correlation')) {
    try {
      cholesky(corr as number[][], n);
    } catch {
      out.push({ path, message: 'is not positive semi-definite (no such joint distribution exists)' });
    }
  }
}
