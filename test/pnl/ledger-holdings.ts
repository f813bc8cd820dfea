/**
 * Shared by the transfer ledger's tests (transfers-targeted, transfers-sender): a scenario capped in
 * length, and a party's holdings as World looks them through beside what the ledger last recorded.
 */
import { fileURLToPath } from 'node:url';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { Simulation } from '../../sim/simulation';
import { BURN } from '../../sim/world';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The checks run after every call: a short run holds thousands of them. */
const MAX_BLOCKS = 1_500;

/** A scenario by its path from the repository root, with overrides, at most 1,500 blocks long. */
export function loadCapped(file: string, overrides: string[] = []): Simulation {
  const loaded = loadScenarioFile(ROOT + file, overrides);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  return new Simulation(config.blocks > MAX_BLOCKS ? { ...config, blocks: MAX_BLOCKS } : config);
}

/**
 * For each directly priced token: `party`'s holding looked through by World (wallet and CEX account
 * for an agent, the burn's account for the burn) and the ledger's record of it (`cur`). The burn's
 * native token is gas's, booked lazily, so it is left out.
 */
export function eachHolding(sim: Simulation, party: number, each: (token: number, lookedThrough: number, recorded: number) => void): void {
  const w = sim.kernel.world;
  const t = sim.kernel.transfers;
  const T = w.ledger.tokenCount;
  const h = new Float64Array(T);
  if (party < t.agents) {
    w.lookThroughAccount(w.agentAccount(party), h);
    w.lookThroughAccount(w.cexAccount(party), h);
  } else if (party === t.burn) w.lookThroughAccount(BURN, h);
  else throw new Error(`party ${party} is neither an agent nor the burn`);
  const bal = w.ledger.bal;
  for (let x = 0; x < T; x++) {
    if (w.tokenKind[x]! > 1) continue;
    if (party === t.burn && x === w.native) continue;
    each(x, h[x]!, bal[t.cur + party * T + x]!);
  }
}
