// Builds dist/ with SWC (.swcrc): src/, migrations/ and bench/ to dist/src, dist/migrations and dist/bench, spec files left
// out. SWC only strips types; `npm run typecheck` (tsc --noEmit) checks them.
//   node scripts/build.js             always rebuild
//   node scripts/build.js --if-stale  rebuild only when a source is newer than the last build (what `npm start` runs)
//   node scripts/build.js --out-dir D build into D instead of dist/ (a test that runs the shipped build on its own)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'migrations', 'bench'];
/** What else changes the output: the compiler settings, the installed compiler and this script. */
const SOURCE_FILES = ['.swcrc', 'package.json', 'package-lock.json', 'scripts/build.js'];
/** Written after a successful build with the time the build started, so an edit made during a build still counts. */
const STAMP = join(DIST, '.build-stamp');

/** Newest modification time under `path`; directories count too, so a deleted or renamed file triggers a rebuild. */
function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function distIsCurrent() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (!stamp) return false;
  const newest = Math.max(...[...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(join(ROOT, p))));
  return newest <= stamp.mtimeMs;
}

/** A clean build (no output of a deleted source survives: TypeORM loads dist/src/modules/**\/*.entity.js by glob),
 * written beside dist/ and swapped in, so a process starting meanwhile never sees a half-written tree. */
export function build(outDir = DIST) {
  const startedAt = new Date();
  const next = `${outDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const swc = createRequire(import.meta.url).resolve('@swc/cli/bin/swc.js');
  const result = spawnSync(
    process.execPath,
    [swc, ...SOURCE_DIRS, '--out-dir', next, '--only', '**/*.ts', '--ignore', '**/*.spec.ts', '--quiet'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    throw new Error(`swc failed (exit ${result.status ?? result.signal})`);
  }
  writeFileSync(join(next, '.build-stamp'), `${startedAt.toISOString()}\n`);
  utimesSync(join(next, '.build-stamp'), startedAt, startedAt);
  const previous = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(next, outDir);
  rmSync(previous, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDirIndex = process.argv.indexOf('--out-dir');
  const outDir = outDirIndex > 0 ? resolve(process.argv[outDirIndex + 1]) : DIST;
  if (outDir === DIST && process.argv.includes('--if-stale') && distIsCurrent()) process.exit(0);
  const started = Date.now();
  try {
    build(outDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(`built ${relative(ROOT, outDir) || '.'}/ with swc in ${Date.now() - started} ms`);
}
