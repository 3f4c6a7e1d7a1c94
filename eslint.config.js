// ESLint for Kairos: typescript-eslint's strict type-checked rules over src/, a lighter set over the tests, and
// the layering (README "Layering") written as eslint-plugin-boundaries policies. Formatting is Prettier's job
// (`npm run format:check`); eslint-config-prettier switches off every rule that would argue with it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------------------
// Layering.
//
// Elements (what each file is):
//   app            src/main.ts, src/bootstrap.ts, src/app.module.ts: wires everything, may import anything.
//   config         src/config/: environment validation and AppConfig; imports nothing of ours.
//   shared         src/shared/<unit>/: cross-cutting infrastructure; imports shared, config, migrations; never a
//                  context.
//   context        src/modules/<ctx>/ itself: the Nest module file(s) (<ctx>.module.ts; file category 'entry', with
//                  an optional index.ts / public.ts) and any other folder at the context's root (notify/templates).
//   domain | application | infrastructure | http | jobs
//                  src/modules/<ctx>/<layer>/: the context's layers.
//   migrations, bench   outside src/: shared/database registers the migrations; specs may read bench workloads.
//
// Inside a context: domain -> domain; application -> domain, infrastructure; infrastructure -> domain, application
// (the ports it implements); http -> application, domain; jobs -> application, domain, infrastructure; the module
// file -> any of its own layers. Every layer may use shared and config, except domain (below).
//
// Between contexts, the PUBLIC SURFACE of a context is: its 'entry' files (module file, index.ts/public.ts), its application/
// services (what its Nest module exports) and its domain/ types. Its infrastructure/ (entities, repositories,
// adapters), http/ (controllers, DTOs, guards) and jobs/ are private to it: reach them through an exported service,
// or react to its outbox events.
//
// domain/ is pure: it imports its own domain, other contexts' domain types, and only the pure shared files
// (PURE_SHARED); no Nest, TypeORM, database or queue client, no HTTP framework, no node I/O (IMPURE_PACKAGES, NODE_IO).
// Specs beside domain code may read fixtures from disk and use test libraries.
//
// Imports are resolved by scripts/eslint-ts-resolver.cjs (`./x.js` in the source is `./x.ts` on disk).
// ---------------------------------------------------------------------------------------------------------------

const LAYERS = ['domain', 'application', 'infrastructure', 'http', 'jobs'];

// Folder elements, most specific first: with `elements-single-match` a file takes the first type that matches.
const elements = [
  ...LAYERS.map((layer) => ({ type: layer, pattern: `src/modules/*/${layer}`, capture: ['context'], partialMatch: false })),
  { type: 'context', pattern: 'src/modules/*', capture: ['context'], partialMatch: false },
  { type: 'shared', pattern: 'src/shared/*', capture: ['unit'], partialMatch: false },
  { type: 'config', pattern: 'src/config', partialMatch: false },
  { type: 'app', pattern: 'src', partialMatch: false },
  { type: 'migrations', pattern: 'migrations', partialMatch: false },
  { type: 'bench', pattern: 'bench', partialMatch: false },
];
const files = [
  { category: 'test', pattern: '**/*.spec.ts' },
  // A context's entry points: its Nest module file(s) and an optional barrel.
  { category: 'entry', pattern: ['**/src/modules/*/*.module.ts', '**/src/modules/*/index.ts', '**/src/modules/*/public.ts'] },
];

// Within one context, what each layer may import of its own context ('context' = its module file and any other
// file at the context's root, e.g. notify/templates).
const OWN_CONTEXT = {
  context: ['context', ...LAYERS],
  application: ['context', 'application', 'domain', 'infrastructure'],
  infrastructure: ['context', 'infrastructure', 'application', 'domain'],
  http: ['context', 'http', 'application', 'domain'],
  jobs: ['context', 'jobs', 'application', 'domain', 'infrastructure'],
};
const ownContext = (types) => ({
  element: { types: { anyOf: types }, captured: { context: '{{ from.element.captured.context }}' } },
});
// What another context may import: see "public surface" above.
const PUBLIC_SURFACE = [
  { element: { type: 'context' }, file: { categories: 'entry' } },
  { element: { types: { anyOf: ['application', 'domain'] } } },
];
const SHARED_AND_CONFIG = { element: { types: { anyOf: ['shared', 'config'] } } };

// Framework, persistence, queue and HTTP packages that domain/ must not import (micromatch on the package name).
const IMPURE_PACKAGES = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'pg-*',
  'ioredis',
  'bullmq',
  '@electric-sql/*',
  'express',
  'nodemailer',
  'tsdav',
  'passport*',
  'class-validator',
  'class-transformer',
  'prom-client',
  'pino*',
  'nestjs-pino',
  'hbs',
];
// Node built-ins that do I/O (node:crypto, node:url, node:util are computation and stay allowed).
const NODE_IO = [
  'fs',
  'fs/*',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'dns/*',
  'tls',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
  'os',
  'process',
  'stream',
  'stream/*',
  'timers',
  'timers/*',
  'sqlite',
].flatMap((name) => [name, `node:${name}`]);

// The shared files domain/ may use: they import nothing but each other.
const PURE_SHARED = [
  'src/shared/time/*.ts',
  'src/shared/http/domain-error.ts',
  'src/shared/validation/text.ts',
  'src/shared/validation/time-zone-name.ts',
];

const layering = {
  default: 'disallow',
  checkAllOrigins: true,
  policies: [
    // Packages and node built-ins are fine in general; domain/ is narrowed below.
    { allow: { to: { module: { origin: ['external', 'core'] } } } },
    { from: { element: { type: 'app' } }, allow: { to: { module: { origin: 'local' } } } },
    { from: { element: { type: 'config' } }, allow: { to: { element: { type: 'config' } } } },
    { from: { element: { type: 'shared' } }, allow: { to: { element: { types: { anyOf: ['shared', 'config', 'migrations'] } } } } },
    ...Object.entries(OWN_CONTEXT).map(([type, own]) => ({
      from: { element: { type } },
      allow: { to: [ownContext(own), ...PUBLIC_SURFACE, SHARED_AND_CONFIG] },
    })),
    {
      from: { element: { type: 'domain' } },
      allow: {
        to: [{ element: { type: 'domain' } }, { file: { path: PURE_SHARED.map((file) => `**/${file}`) } }],
      },
    },
    {
      from: { element: { type: 'domain' } },
      disallow: {
        to: {
          module: [
            { origin: 'external', source: IMPURE_PACKAGES },
            { origin: 'core', source: NODE_IO },
          ],
        },
      },
      message: 'domain/ is pure: no framework, persistence, queue or I/O import ({{ to.module.source }})',
    },
    // Specs (also beside domain code) may read fixtures from disk, use test libraries and the benchmark workloads.
    {
      from: { file: { categories: 'test' } },
      allow: { to: [{ module: { origin: ['external', 'core'] } }, { element: { type: 'bench' } }] },
    },
  ],
};

export default defineConfig(
  globalIgnores(['dist/**', 'coverage/**', 'docs/**', 'public/**', 'views/**', 'node_modules/**']),
  {
    files: ['src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/files': files,
      'boundaries/elements-single-match': true,
      'import/resolver': { [`${import.meta.dirname}/scripts/eslint-ts-resolver.cjs`]: {} },
    },
    rules: {
      'boundaries/dependencies': ['error', layering],
      // Logs go through the Nest logger (pino), so they are structured and redacted; main.ts is the exception below.
      'no-console': 'error',
      // Nest modules are classes that only carry decorators.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // Numbers and booleans read fine in messages; objects and undefined still do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_name` marks a parameter an interface or a framework callback requires but this code does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `(err) => reject(err)` callbacks read better than braces around a void call.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Off: in-memory adapters implement async ports (CacheStore, ThrottlerStorage); `async` turns their throws into rejections.
      '@typescript-eslint/require-await': 'off',
      // Off: DTO classes exist for Swagger and class-validator metadata; responses are plain objects of their shape.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // The ready line and a failed start are printed before (or without) the app's logger.
    files: ['src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'migrations/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests: type-aware linting is slow and its strictness (unsafe `any` from supertest bodies, non-null assertions
    // on fixtures) buys little; the recommended rules still catch dead code and mistakes.
    files: ['src/**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'migrations/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Fake provider servers and response bodies are untyped JSON; a test says what it expects of them.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  prettier,
);
