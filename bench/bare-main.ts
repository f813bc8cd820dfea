/** Runs only the bare loop (for instruction counting): BENCH_DAYS days. */
import { bareLoop } from './bare-loop';
const r = bareLoop(Number(process.env.BENCH_DAYS ?? 30));
console.log(`${r.blocks} blocks checksum ${r.checksum}`);
