import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './env.validation.js';

/** .env.example is the operator's list of settings: every variable the app reads must be in it (issue 13). */
describe('.env.example', () => {
  const example = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
  // `NAME=value`, or `# NAME=` for a setting documented but left commented out.
  const listed = new Set([...example.matchAll(/^(?:#\s*)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  // Every property of EnvironmentVariables carries a class-validator decorator (at least @IsOptional).
  const read = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((m) => m.propertyName),
    ),
  ];

  it('finds the variables through their decorators', () => {
    expect(read).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'RATE_LIMIT_MAX']));
    expect(read.length).toBeGreaterThan(40);
  });

  it('lists every variable of EnvironmentVariables', () => {
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists nothing the app does not read', () => {
    expect([...listed].filter((name) => !read.includes(name))).toEqual([]);
  });
});
