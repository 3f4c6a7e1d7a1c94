// `npm run bench`: figures, not pass/fail. Engine micro-benchmarks, then HTTP against a real app process.
import { runHttpBench } from './http.bench.js';
import { runSlotEngineBench } from './slot-engine.bench.js';

console.log(
  `Kairos benchmarks on ${process.platform}/${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`,
);
// BENCH_ROWS (http.bench.ts) names the rows to run; the engine figures are the row `engine`.
const rows = process.env.BENCH_ROWS?.split(',').map((n) => n.trim());
if (!rows || rows.includes('engine')) await runSlotEngineBench();
if (process.env.BENCH_ENGINE_ONLY !== '1') await runHttpBench();
process.exit(0);
