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
    expect(() => validateEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://db-replica/kairos' })).toThrow(
      /DATABASE_READ_URL must be a postgres:\/\/ URL/,
    );
  });

  it('refuses a read URL without DATABASE_URL: the embedded database has no replica', () => {
    expect(() => validateEnv({ DATABASE_READ_URL: replica })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
  });
});

describe('validateEnv: metrics', () => {
  const token = 'm'.repeat(32);

  it('takes a METRICS_TOKEN of 32+ printable characters; empty is unset', () => {
    expect(validateEnv({ METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    expect(validateEnv({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });

  it('refuses a short or spaced METRICS_TOKEN', () => {
    expect(() => validateEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32 printable characters/);
    expect(() => validateEnv({ METRICS_TOKEN: `${token} x` })).toThrow(/METRICS_TOKEN/);
  });

  it('binds METRICS_PORT to loopback by default and refuses the app port', () => {
    expect(validateEnv({ METRICS_PORT: '9464' })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' });
    expect(validateEnv({}).METRICS_PORT).toBeUndefined();
    expect(() => validateEnv({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
  });
});
