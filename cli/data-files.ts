/**
 * The data files a scenario reads (CSV price histories, a replayed base fee), by the field that
 * names them, with a sha256 of their contents: recorded in run.json, since the scenario hash covers
 * their names but not their contents, and checked by a fork (its replay needs the same data).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LoadedScenario } from '../scenarios';

/** Field path → the file's path as the run reads it. */
export function dataFiles(loaded: LoadedScenario): Record<string, string> {
  const files: Record<string, string> = {};
  const at = (file: string): string => (isAbsolute(file) ? file : join(loaded.baseDir, file));
  for (const [id, p] of Object.entries(loaded.scenario.market.assets)) if (p.kind === 'csv') files[`market.assets.${id}.file`] = at(p.file);
  const fee = loaded.scenario.chain.baseFee;
  if (fee.mode === 'csv' && fee.file !== undefined) files['chain.baseFee.file'] = at(fee.file);
  return files;
}

/** Field path → sha256 (hex) of the file's contents; a file that cannot be read is left out (loading it has already failed). */
export function dataHashes(loaded: LoadedScenario): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [field, path] of Object.entries(dataFiles(loaded))) {
    try {
      hashes[field] = createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      // Unreadable now: the run or the fork has reported it when it read the file.
    }
  }
  return hashes;
}
