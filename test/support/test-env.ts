/** Where the e2e suites find real services; override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const TEST_ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** KAIROS_TEST_DB=embedded runs a suite on the in-process PGlite database instead of the server. */
export const USE_EMBEDDED_DB = process.env.KAIROS_TEST_DB === 'embedded';
/** METRICS_TOKEN of every test app: tests that read /metrics send it as a bearer token (`METRICS_AUTH`). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef0123';
export const METRICS_AUTH = { Authorization: `Bearer ${TEST_METRICS_TOKEN}` };
