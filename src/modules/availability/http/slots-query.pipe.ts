import { Injectable, type PipeTransform } from '@nestjs/common';
import { Ajv, type ErrorObject } from 'ajv';
import { isDateString, isUUID, maxLength } from 'class-validator';
import { type FieldError, invalidInput } from '../../../shared/http/validation.js';
import { canonicalTimeZone, isIanaTimeZone } from '../../../shared/validation/time-zone.js';
import type { SlotsQueryDto } from './slots.dto.js';

const DATE = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
/** Whole minutes as the query string carries them; whether the type offers that length is the service's check. */
const DURATION = '^[1-9][0-9]{0,3}$';

/**
 * SlotsQueryDto's rules as one compiled function. The predicates are class-validator's own (isUUID, isDateString,
 * maxLength), so the same values pass and fail; what the hot path saves is class-transformer's copy and
 * class-validator's executor on every request (slots-query.pipe.spec.ts compares the two on a table of queries).
 */
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat('uuid-any-version', { type: 'string', validate: (s) => isUUID(s, 'all') });
ajv.addFormat('calendar-date', { type: 'string', validate: (s) => isDateString(s, { strict: true }) });
ajv.addFormat('iana-time-zone', { type: 'string', validate: (s) => isIanaTimeZone(s) });
ajv.addKeyword({
  keyword: 'maxChars', // class-validator's maxLength: a surrogate pair or a variation selector is not a character
  type: 'string',
  schemaType: 'number',
  validate: (max: number, data: string) => maxLength(data, max),
});

const validate = ajv.compile({
  type: 'object',
  required: ['date'],
  additionalProperties: false,
  properties: {
    meeting_type_id: { type: 'string', format: 'uuid-any-version' },
    username: { type: 'string', maxChars: 64 },
    slug: { type: 'string', maxChars: 100 },
    date: { type: 'string', pattern: DATE, format: 'calendar-date' },
    end_date: { type: 'string', pattern: DATE, format: 'calendar-date' },
    timezone: { type: 'string', format: 'iana-time-zone' },
    duration_minutes: { type: 'string', pattern: DURATION },
  },
});

type Field = keyof SlotsQueryDto;

/** Each field's messages by the keyword that failed, in the order class-validator reported them. */
const MESSAGES: Record<Field, Partial<Record<string, string>>> = {
  meeting_type_id: { format: 'meeting_type_id must be a UUID' },
  username: { maxChars: 'username must be shorter than or equal to 64 characters', type: 'username must be a string' },
  slug: { maxChars: 'slug must be shorter than or equal to 100 characters', type: 'slug must be a string' },
  date: { format: 'date must be a real calendar date', pattern: 'date must be a date in YYYY-MM-DD form' },
  end_date: { format: 'end_date must be a real calendar date', pattern: 'end_date must be a date in YYYY-MM-DD form' },
  timezone: { format: 'timezone must be an IANA time zone such as "Europe/London"' },
  duration_minutes: { pattern: 'duration_minutes must be a whole number of minutes' },
};
const FIELDS = Object.keys(MESSAGES) as Field[];

/**
 * Validates GET /api/availability/slots's query (SlotsQueryDto, which the global ValidationPipe skips) and answers
 * a mistake with the same 400 as every other route: unknown fields first, then each field with all its messages.
 */
@Injectable()
export class SlotsQueryPipe implements PipeTransform<unknown, SlotsQueryDto> {
  transform(value: unknown): SlotsQueryDto {
    const query = (value ?? {}) as Record<string, unknown>;
    if (!validate(query)) throw invalidInput(fieldErrors(validate.errors ?? []));
    // Valid: every field is absent or a string. The zone in its stored spelling, as IsTimeZone's transform gives it.
    const q = query as Partial<Record<Field, string>>;
    if (q.timezone === undefined) return q as SlotsQueryDto;
    return { ...q, timezone: canonicalTimeZone(q.timezone) ?? q.timezone } as SlotsQueryDto;
  }
}

function fieldErrors(errors: ErrorObject[]): FieldError[] {
  const unknown: FieldError[] = [];
  const failed = new Map<Field, Set<string>>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const field = String(error.params.additionalProperty);
      unknown.push({ field, messages: [`property ${field} should not exist`] });
      continue;
    }
    const field = (error.keyword === 'required' ? error.params.missingProperty : error.instancePath.slice(1)) as Field;
    const keywords = failed.get(field) ?? new Set<string>();
    keywords.add(error.keyword);
    failed.set(field, keywords);
  }
  const known = FIELDS.flatMap((field) => {
    const keywords = failed.get(field);
    if (!keywords) return [];
    const messages = MESSAGES[field];
    // Absent or not a string (a repeated parameter is an array): every rule of the field fails, as in class-validator.
    const all = keywords.has('required') || keywords.has('type');
    const list = Object.entries(messages).flatMap(([keyword, message]) => (message && (all || keywords.has(keyword)) ? [message] : []));
    return [{ field, messages: [...new Set(list)] }];
  });
  return [...unknown, ...known];
}
