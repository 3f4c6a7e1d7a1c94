// Runs every suite and prints one closing line: "tests: N passed, N failed".
// Unit suites run twice, under two server time zones, to prove no result depends on the process TZ.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outDir = mkdtempSync(join(tmpdir(), 'kairos-test-'));
const extra = process.argv.slice(2);
const runs = [
  { name: 'unit (TZ=UTC)', env: { TZ: 'UTC' }, args: ['--selectProjects', 'unit'] },
  { name: 'unit (TZ=Pacific/Chatham)', env: { TZ: 'Pacific/Chatham' }, args: ['--selectProjects', 'unit'] },
  { name: 'e2e (PostgreSQL + Redis)', env: { TZ: 'UTC' }, args: ['--selectProjects', 'e2e', '--maxWorkers=2'] },
  {
    name: 'identity, auth abuse, Google sign-in, booking (limits, approval, series, guests, languages), meeting type copies, no-shows and insights, explain vs real bookings, waitlist promotion races (one-on-one and group seats), round-robin fairness under a rush, holds, time off, outbound, input hygiene and notify e2e on the embedded database',
    env: { TZ: 'UTC', KAIROS_TEST_DB: 'embedded' },
    args: [
      '--selectProjects',
      'e2e',
      '--runInBand',
      'test/identity.e2e-spec.ts',
      'test/auth-abuse.e2e-spec.ts',
      'test/google-signin.e2e-spec.ts',
      'test/booking.e2e-spec.ts',
      'test/booking-limits.e2e-spec.ts',
      'test/booking-approval.e2e-spec.ts',
      'test/booking-series.e2e-spec.ts',
      'test/booking-guests.e2e-spec.ts',
      'test/time-off.e2e-spec.ts',
      'test/holds-abuse.e2e-spec.ts',
      'test/outbound-ssrf.e2e-spec.ts',
      'test/input-hygiene.e2e-spec.ts',
      'test/notify.e2e-spec.ts',
      'test/i18n.e2e-spec.ts',
      'test/insights.e2e-spec.ts',
      'test/meeting-types-duplicate.e2e-spec.ts',
      'test/explain-property.e2e-spec.ts',
      'test/waitlist.e2e-spec.ts',
      'test/waitlist-group.e2e-spec.ts',
      'test/round-robin.e2e-spec.ts',
    ],
  },
];

let passed = 0;
let failed = 0;
let exitCode = 0;
runs.forEach((run, i) => {
  const outputFile = join(outDir, `run-${i}.json`);
  console.log(`\n=== ${run.name} ===`);
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings',
      'node_modules/jest/bin/jest.js',
      ...run.args,
      '--json',
      `--outputFile=${outputFile}`,
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, ...run.env } },
  );
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numTotalTestSuites > 0 && report.numTotalTests === 0) exitCode = 1;
  } catch {
    failed += 1;
  }
  if (result.status !== 0) exitCode = 1;
});
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(exitCode);
