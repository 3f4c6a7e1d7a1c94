#!/usr/bin/env node
// Fails when the bounded contexts under src/modules import each other in a cycle (A → … → A), counting every
// import of any file of one context by a file of another. eslint-plugin-boundaries checks which layers may be
// imported, not the direction between contexts; this closes that gap, so "upstream never imports downstream" holds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = resolve(dirname(fileURLToPath(import.meta.url)), '../src/modules');
const contexts = readdirSync(modules).filter((name) => statSync(join(modules, name)).isDirectory());
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) yield path;
  }
}

/** context → context → one example "file → import" for the message. */
const edges = new Map(contexts.map((c) => [c, new Map()]));
for (const context of contexts) {
  for (const file of files(join(modules, context))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = relative(modules, resolve(dirname(file), specifier)).split('/')[0];
      if (target !== context && edges.has(target) && !edges.get(context).has(target)) {
        edges.get(context).set(target, `${relative(modules, file)} imports ${specifier}`);
      }
    }
  }
}

const cycles = [];
const state = new Map(); // undefined: unseen, 1: on the current path, 2: done
const path = [];
function visit(context) {
  state.set(context, 1);
  path.push(context);
  for (const next of edges.get(context).keys()) {
    if (state.get(next) === 1) cycles.push([...path.slice(path.indexOf(next)), next]);
    else if (!state.has(next)) visit(next);
  }
  path.pop();
  state.set(context, 2);
}
for (const context of contexts) if (!state.has(context)) visit(context);

if (cycles.length > 0) {
  for (const cycle of cycles) {
    console.error(`context cycle: ${cycle.join(' → ')}`);
    for (let i = 0; i < cycle.length - 1; i++) console.error(`  ${edges.get(cycle[i]).get(cycle[i + 1])}`);
  }
  process.exit(1);
}
console.log(`${contexts.length} contexts, no import cycle between them`);
