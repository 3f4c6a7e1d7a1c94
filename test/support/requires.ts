/** CI runs set CI=true (.ci/run exports it, as hosted CI services do). */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for a suite that needs a program the machine may lack (nginx, initdb/pg_ctl, redis-server). Pass why it
 * cannot run (e.g. "/usr/sbin/nginx is absent"), or null when it can. Without the program the suite is skipped with
 * a warning on a developer's machine, and in CI it fails with that reason, so a green run cannot hide a missing
 * install.
 */
export function describeRequiring(missing: string | null): (name: string, body: () => void) => void {
  if (!missing) return describe;
  if (IN_CI) {
    return (name) =>
      describe(name, () => {
        it(`has what it needs (${missing})`, () => {
          throw new Error(`${missing}: CI=true, so a suite cannot be skipped for a missing program`);
        });
      });
  }
  return (name, body) => {
    console.warn(`${name}: skipped, ${missing}`);
    describe.skip(name, body);
  };
}
