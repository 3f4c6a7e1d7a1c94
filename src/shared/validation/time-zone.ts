import { registerDecorator, type ValidationOptions } from 'class-validator';

const known = new Map<string, boolean>();

/** True for IANA zone names the runtime knows (and "UTC"); memoized because Intl construction is slow. */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  let ok = known.get(value);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      ok = value === 'UTC' || value.includes('/') || value === 'GMT';
    } catch {
      ok = false;
    }
    if (known.size < 10_000) known.set(value, ok);
  }
  return ok;
}

export function IsTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as "Europe/London"`, ...options },
      validator: { validate: (value: unknown) => isIanaTimeZone(value) },
    });
}
