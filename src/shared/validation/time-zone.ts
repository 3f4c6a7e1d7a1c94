import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { canonicalTimeZone, isIanaTimeZone } from './time-zone-name.js';

export { canonicalTimeZone, isIanaTimeZone };

/** Validates an IANA zone and stores its canonical spelling (the transform runs before validation). */
export function IsTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value)(object, propertyName);
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as "Europe/London"`, ...options },
      validator: { validate: (value: unknown) => isIanaTimeZone(value) },
    });
  };
}
