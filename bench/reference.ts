/**
 * The reference scenario of the benchmark, built from bench/reference.yaml (the one definition, the
 * same world as bench/peers/python_ref.py): what `npm run bench` runs in-process and, as a file,
 * through the whole `hedgesim run` command.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimConfig } from '../sim/config';
import { buildConfig, loadScenarioFile } from '../scenarios';

const here = dirname(fileURLToPath(import.meta.url));

/** bench/reference.yaml, from the source tree (bench/) or the bundle (dist/). */
export const REFERENCE_FILE = [join(here, 'reference.yaml'), join(here, '..', 'bench', 'reference.yaml'), join(here, 'bench', 'reference.yaml')].find((p) => existsSync(p)) ?? join(here, 'reference.yaml');

export function referenceScenario(days = 30, seed: number | string = 1): SimConfig {
  const loaded = loadScenarioFile(REFERENCE_FILE, [`duration=${days}d`, `seed=${seed}`]);
  return buildConfig(loaded.scenario, loaded.baseDir);
}
