import { validateEnv } from './env.validation.js';

describe('validateEnv: DATABASE_READ_URL', () => {
  const primary = 'postgres://app@db-primary:5432/kairos';
  const replica = 'postgres://app@db-replica:5432/kairos';

  it('accepts a postgres:// read URL beside DATABASE_URL', () => {
    expect(validateEnv({ DATABASE_URL: primary, DATABASE_READ_URL: replica }).DATABASE_READ_URL).toBe(replica);
  });

  it('treats an empty value as unset', () => {
    expect(validateEnv({ DATABASE_URL: primary, DATABASE_READ_URL: '' }).DATABASE_READ_URL).toBeUndefined();
  });

  it('refuses a URL that is not postgres://', () => {
    expect(() => validateEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://db-replica/kairos' }))
      .toThrow(/DATABASE_READ_URL must be a postgres:\/\/ URL/);
  });

  it('refuses a read URL without DATABASE_URL: the embedded database has no replica', () => {
    expect(() => validateEnv({ DATABASE_READ_URL: replica })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
  });
});
