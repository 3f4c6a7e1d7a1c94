// Runs the compiled benchmarks (npm run bench builds first).
import('../dist/bench/run-all.js').catch((error) => {
  console.error(error);
  process.exit(1);
});
