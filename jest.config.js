import { readFileSync } from 'node:fs';

// Tests compile with the build's own SWC settings (.swcrc), source maps inline; `swcrc: false` stops @swc/core from
// merging .swcrc a second time.
const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
const swc = ['@swc/jest', { ...swcrc, $schema: undefined, swcrc: false, sourceMaps: 'inline' }];
// ESM-only packages that a CommonJS dependency require()s (Node 20.19+ allows that; Jest's loader does not before
// Node 24.9): compiled to CommonJS for the tests. @fastify/static (the OpenAPI UI's files) requires content-disposition 3.
const ESM_REQUIRED_FROM_CJS = ['content-disposition'];
const toCommonJs = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' }, swcrc: false },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(${ESM_REQUIRED_FROM_CJS.join('|')})/.+\\.js$`]: toCommonJs,
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_REQUIRED_FROM_CJS.join('|')})/).*/node_modules/`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};
export default {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'e2e', roots: ['<rootDir>/test'], testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
