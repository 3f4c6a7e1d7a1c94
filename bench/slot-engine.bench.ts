// Slot engine micro-benchmark over the fixed workloads W1..W3 (bench/workloads/WORKLOADS.md).
// Run from the repository root: the workload files are resolved from process.cwd().

import { computeSlots } from '../src/modules/availability/domain/compute-slots.js';
import { EXPECTED_SLOTS, WORKLOAD_NAMES, loadWorkload } from './workloads/load-workload.js';

const WARMUP_CALLS = 300;
const MEASURED_CALLS = 2_000;

export async function runSlotEngineBench(): Promise<void> {
  for (const name of WORKLOAD_NAMES) {
    const { hosts, query } = loadWorkload(name);
    const slots = computeSlots(hosts, query).length;
    if (slots !== EXPECTED_SLOTS[name]) {
      throw new Error(`${name}: expected ${EXPECTED_SLOTS[name]} slots, got ${slots}`);
    }
    // Warm-up lets the JIT optimise and fills the zone-offset cache, as in a long-running server.
    for (let i = 0; i < WARMUP_CALLS; i++) computeSlots(hosts, query);
    const samples = new Float64Array(MEASURED_CALLS);
    for (let i = 0; i < MEASURED_CALLS; i++) {
      const t0 = process.hrtime.bigint();
      computeSlots(hosts, query);
      samples[i] = Number(process.hrtime.bigint() - t0) / 1_000;
    }
    samples.sort();
    const medianMicros = samples[MEASURED_CALLS >> 1];
    console.log(`slot-engine ${name}: ${medianMicros.toFixed(1)} µs/call (median of ${MEASURED_CALLS}), ${slots} slots`);
  }
}
