'use strict';
// Import resolver for eslint-plugin-boundaries. The code is ESM under `moduleResolution: nodenext`, so relative
// imports name the emitted file (`./booking.repository.js`) while the source on disk is `.ts`; the stock node
// resolver cannot see through that, and then no dependency between our own files would be checked.
// (eslint-import-resolver-typescript does the same and more, if it is ever added as a dependency.)
const { statSync } = require('node:fs');
const path = require('node:path');
const nodeResolver = require('eslint-import-resolver-node');

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file, config) {
  if (source.startsWith('.')) {
    const target = path.resolve(path.dirname(file), source);
    const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), target, `${target}.ts`];
    const found = candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
    if (found) return { found: true, path: found };
  }
  return nodeResolver.resolve(source, file, config);
};
