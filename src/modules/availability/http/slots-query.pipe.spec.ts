import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { createValidationPipe } from '../../../shared/http/validation.js';
import { SlotsQueryPipe } from './slots-query.pipe.js';
import { SlotsQueryDto } from './slots.dto.js';

const ID = '3f1c2b7a-9d4e-4c1a-8b2f-5e6d7c8b9a01';

/** What the global ValidationPipe answered for this query before the route had its own pipe. */
async function classValidator(query: Record<string, unknown>): Promise<unknown> {
  const pipe = createValidationPipe({ skipValidatedByRoute: false });
  try {
    return { ...(await pipe.transform(query, { type: 'query', metatype: SlotsQueryDto, data: undefined })) };
  } catch (error) {
    return (error as BadRequestException).getResponse();
  }
}

function compiled(query: Record<string, unknown>): unknown {
  try {
    return { ...new SlotsQueryPipe().transform(query) };
  } catch (error) {
    return (error as BadRequestException).getResponse();
  }
}

describe('SlotsQueryPipe: the compiled schema answers as the class-validator rules of SlotsQueryDto do', () => {
  it.each<[string, Record<string, unknown>]>([
    ['by id', { meeting_type_id: ID, date: '2027-03-01' }],
    [
      'by name, a range, a zone in other letters',
      { username: 'ada', slug: 'intro', date: '2027-03-01', end_date: '2027-03-07', timezone: 'europe/london' },
    ],
    ['a renamed zone', { meeting_type_id: ID, date: '2027-03-01', timezone: 'Asia/Calcutta' }],
    ['nil and max UUIDs, capitals', { meeting_type_id: '00000000-0000-0000-0000-000000000000', date: '2028-02-29' }],
    ['max UUID', { meeting_type_id: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', date: '2027-03-01' }],
    ['nothing', {}],
    ['no date', { meeting_type_id: ID }],
    ['empty date', { meeting_type_id: ID, date: '' }],
    ['not a calendar day', { meeting_type_id: ID, date: '2027-02-29' }],
    ['another form', { meeting_type_id: ID, date: '03/01/2027' }],
    ['a date with a time', { meeting_type_id: ID, date: '2027-03-01T00:00:00Z' }],
    ['year 0000', { meeting_type_id: ID, date: '0000-01-01' }],
    ['month 13 in end_date', { meeting_type_id: ID, date: '2027-03-01', end_date: '2027-13-01' }],
    ['repeated date', { meeting_type_id: ID, date: ['2027-03-01', '2027-03-02'] }],
    ['not a UUID', { meeting_type_id: 'abc', date: '2027-03-01' }],
    ['UUID version 0', { meeting_type_id: '3f1c2b7a-9d4e-0c1a-8b2f-5e6d7c8b9a01', date: '2027-03-01' }],
    ['repeated id', { meeting_type_id: [ID, ID], date: '2027-03-01' }],
    ['long username', { username: 'u'.repeat(65), slug: 's', date: '2027-03-01' }],
    ['64 emoji are 64 characters', { username: '😀'.repeat(64), slug: 's', date: '2027-03-01' }],
    ['variation selectors do not count', { username: 'a\ufe0f'.repeat(40), slug: 's', date: '2027-03-01' }],
    ['repeated username', { username: ['a', 'b'], slug: 's', date: '2027-03-01' }],
    ['long slug', { username: 'ada', slug: 's'.repeat(101), date: '2027-03-01' }],
    ['not a zone', { meeting_type_id: ID, date: '2027-03-01', timezone: 'Mars/Base' }],
    ['an abbreviation', { meeting_type_id: ID, date: '2027-03-01', timezone: 'EST' }],
    ['repeated zone', { meeting_type_id: ID, date: '2027-03-01', timezone: ['UTC', 'UTC'] }],
    ['a length', { meeting_type_id: ID, date: '2027-03-01', duration_minutes: '60' }],
    ['a length in words', { meeting_type_id: ID, date: '2027-03-01', duration_minutes: 'sixty' }],
    ['a fractional length', { meeting_type_id: ID, date: '2027-03-01', duration_minutes: '30.5' }],
    ['a zero length', { meeting_type_id: ID, date: '2027-03-01', duration_minutes: '0' }],
    ['repeated length', { meeting_type_id: ID, date: '2027-03-01', duration_minutes: ['30', '60'] }],
    ['an unknown field', { meeting_type_id: ID, date: '2027-03-01', color: 'red' }],
    ['unknown fields and everything wrong', { color: 'red', size: 'L', meeting_type_id: 'x', username: ['a'], timezone: 'X' }],
  ])('%s', async (_, query) => {
    expect(compiled(query)).toEqual(await classValidator(query));
  });

  it.each(['__proto__', 'constructor'])('%s is an unknown field too (class-validator dropped it silently)', (key) => {
    const query = JSON.parse(`{"meeting_type_id":"${ID}","date":"2027-03-01","${key}":"x"}`) as Record<string, unknown>;
    expect(compiled(query)).toEqual({
      message: [`${key}: property ${key} should not exist`],
      errors: [{ field: key, messages: [`property ${key} should not exist`] }],
    });
  });
});
