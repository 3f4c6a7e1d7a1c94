import { EXPECTED_SLOTS, WORKLOAD_NAMES, loadWorkload } from '../../../../bench/workloads/load-workload.js';
import { computeSlots } from './compute-slots.js';

// The benchmark workloads double as regression fixtures: their slot counts are stated in WORKLOADS.md.
describe('benchmark workloads', () => {
  const cases = WORKLOAD_NAMES.map((name) => [name, EXPECTED_SLOTS[name]] as const);
  it.each(cases)('%s gives %i slots', (name, expected) => {
    const { hosts, query } = loadWorkload(name);
    const slots = computeSlots(hosts, query);
    expect(slots).toHaveLength(expected);
    for (let i = 1; i < slots.length; i++) expect(slots[i].start).toBeGreaterThan(slots[i - 1].start);
  });
});
