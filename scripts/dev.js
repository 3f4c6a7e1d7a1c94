// `npm run start:dev`: builds dist/ (SWC), starts the app and, on every change under src/, migrations/, bench/, views/
// or .swcrc, rebuilds and restarts it. Uses fs.watch (recursive) rather than swc --watch, which needs chokidar.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WATCHED = ['src', 'migrations', 'bench', 'views', '.swcrc'];
/** Editors write a file in several steps: wait for the burst to end. */
const SETTLE_MS = 150;

let app = null;
let timer = null;
/** One rebuild at a time: a change during a rebuild queues one more. */
let rebuilding = null;
let pending = null;

function startApp() {
  app = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], { cwd: ROOT, stdio: 'inherit' });
  const child = app;
  child.on('exit', (code, signal) => {
    if (app === child) {
      app = null;
      console.log(`[dev] app exited (${signal ?? code}); waiting for a change`);
    }
  });
}

function stopApp() {
  const child = app;
  app = null;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function rebuildAndRestart(reason) {
  if (rebuilding) {
    pending = reason;
    return;
  }
  rebuilding = rebuildOnce(reason);
  await rebuilding;
  rebuilding = null;
  if (pending) {
    const next = pending;
    pending = null;
    await rebuildAndRestart(next);
  }
}

async function rebuildOnce(reason) {
  console.log(`[dev] ${reason}: rebuilding`);
  await stopApp();
  try {
    build();
  } catch (error) {
    console.error(`[dev] ${error instanceof Error ? error.message : error}; waiting for a change`);
    return;
  }
  startApp();
}

for (const path of WATCHED) {
  watch(join(ROOT, path), { recursive: true }, (_event, file) => {
    if (file && file.endsWith('.spec.ts')) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuildAndRestart(`${join(path, file ?? '')} changed`), SETTLE_MS);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopApp().then(() => process.exit(0)));
}

await rebuildAndRestart('start');
