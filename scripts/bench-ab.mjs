// A/B of two builds on bench/reference.yaml without instruction counters: each build copied to a folder
// in the repository root (cp -r dist dist-a after `node scripts/build.mjs`), then
// `node scripts/bench-ab.mjs dist-a dist-b [reps=7] [days=4]` runs both simulate()s interleaved in one
// process after two warm-up runs each, and prints CPU ns/block: median, min, max (process.cpuUsage).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
const [, , A, B, repsArg, daysArg] = process.argv;
const reps = Number(repsArg ?? 7), days = Number(daysArg ?? 4);
const libs = [await import(pathToFileURL(resolve(A, "index.mjs")).href), await import(pathToFileURL(resolve(B, "index.mjs")).href)];
const cfgs = libs.map((L) => { const l = L.loadScenarioFile(resolve(import.meta.dirname, '..', 'bench', 'reference.yaml'), [`duration=${days}d`, 'seed=1']); return L.buildConfig(l.scenario, l.baseDir); });
const res = [[], []];
for (let w = 0; w < 2; w++) for (let i = 0; i < 2; i++) libs[i].simulate(cfgs[i]);
for (let r = 0; r < reps; r++) for (const i of r % 2 ? [1, 0] : [0, 1]) {
  const c0 = process.cpuUsage(); const out = libs[i].simulate(cfgs[i]); const c = process.cpuUsage(c0);
  res[i].push(((c.user + c.system) * 1000) / out.blocks);
}
for (let i = 0; i < 2; i++) { const s = [...res[i]].sort((a, b) => a - b); console.log([A, B][i], 'median', s[s.length >> 1].toFixed(0), 'ns/block, min', s[0].toFixed(0), 'max', s[s.length - 1].toFixed(0)); }
