import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** The password createHost signs up with (strong enough for the password policy). */
export const HOST_PASSWORD = 'correct-horse-battery';

export interface TestHost {
  id: string;
  email: string;
  username: string;
  token: string;
  auth: { Authorization: string };
}

/** Signs up a host through the API and logs in. */
export async function createHost(
  t: TestApp,
  overrides: Partial<{ name: string; time_zone: string; username: string; email: string }> = {},
): Promise<TestHost> {
  const suffix = randomBytes(4).toString('hex');
  const body = {
    email: overrides.email ?? `host-${suffix}@example.com`,
    name: overrides.name ?? `Host ${suffix}`,
    password: HOST_PASSWORD,
    time_zone: overrides.time_zone ?? 'Europe/London',
    username: overrides.username ?? `host-${suffix}`,
  };
  const created = await t.http().post('/api/users').send(body).expect(201);
  const login = await t.http().post('/api/auth/login').send({ email: body.email, password: body.password }).expect(200);
  const token = login.body.access_token as string;
  return { id: created.body.id, email: body.email, username: body.username, token, auth: { Authorization: `Bearer ${token}` } };
}

/**
 * Marks a host's email address as verified (a fixture: hosts signed up through the API or the sign-up page are
 * unverified, and the admin then shows the "verify your email" banner, which README screenshots should not).
 */
export async function markEmailVerified(t: TestApp, who: { id: string } | { username: string }): Promise<void> {
  if ('id' in who) await t.dataSource.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [who.id]);
  else await t.dataSource.query(`UPDATE users SET email_verified_at = now() WHERE username = $1`, [who.username]);
}
