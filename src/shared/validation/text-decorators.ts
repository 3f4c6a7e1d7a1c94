import { registerDecorator, type ValidationOptions } from 'class-validator';
import { multiLineProblem, singleLineProblem } from './text.js';

function textDecorator(name: string, problem: (v: string) => string | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        // Non-strings are left to @IsString, so a wrong type gets one clear message.
        validate: (value: unknown) => (typeof value === 'string' ? problem(value) === null : true),
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const bad: unknown = Array.isArray(value) ? value.find((v) => typeof v === 'string' && problem(v)) : value;
          return `${args?.property} ${typeof bad === 'string' ? problem(bad) : 'is invalid'}`;
        },
      },
    });
}

/** A name, title, label or reason: one line, no control characters. With `{each: true}` for lists of strings. */
export const IsSingleLine = (options?: ValidationOptions) => textDecorator('isSingleLine', singleLineProblem, options);

/** A description or other multi-line text: line breaks and tabs allowed, other control characters not. */
export const IsMultiLine = (options?: ValidationOptions) => textDecorator('isMultiLine', multiLineProblem, options);
