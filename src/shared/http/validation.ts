import { type ArgumentMetadata, BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The 400 for invalid input: `message` lists every problem (prefixed by its field), `errors` names the fields for forms. */
export function invalidInput(fieldErrors: FieldError[]): BadRequestException {
  const message = fieldErrors.flatMap((f) => f.messages.map((m) => (m.startsWith(f.field) ? m : `${f.field}: ${m}`)));
  return new BadRequestException({ message, errors: fieldErrors });
}

const VALIDATED_BY_ROUTE = Symbol('kairos:validated-by-route');

/**
 * Marks a DTO the global ValidationPipe leaves alone because its route validates it with a pipe of its own (a
 * compiled schema on a hot path). The class keeps its Swagger decorators: it still describes the input.
 */
export function ValidatedByRoute(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(VALIDATED_BY_ROUTE, true, target);
  };
}

class AppValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly skipValidatedByRoute: boolean,
  ) {
    super(options);
  }

  protected override toValidate(metadata: ArgumentMetadata): boolean {
    if (this.skipValidatedByRoute && metadata.metatype && Reflect.getMetadata(VALIDATED_BY_ROUTE, metadata.metatype) === true) {
      return false;
    }
    return super.toValidate(metadata);
  }
}

/**
 * whitelist + forbid unknown fields; the 400 lists every problem, and `errors` names the fields for forms. DTOs marked
 * @ValidatedByRoute are skipped unless `skipValidatedByRoute` is false (the tests that compare a route's own pipe
 * with these rules).
 */
export function createValidationPipe({ skipValidatedByRoute = true } = {}) {
  return new AppValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => invalidInput(flatten(errors)),
    },
    skipValidatedByRoute,
  );
}
