import { utmFrom } from './utm.js';

describe('utmFrom', () => {
  it('keeps the five utm_* keys given, trimmed', () => {
    expect(utmFrom({ utm_source: ' newsletter ', utm_campaign: 'spring', name: 'Ada', utm_other: 'x' })).toEqual({
      utm_source: 'newsletter',
      utm_campaign: 'spring',
    });
    expect(utmFrom({ utm_medium: ['email', 'web'] })).toEqual({ utm_medium: 'email' });
  });

  it('is null without any, and drops values that are empty, too long or not one line', () => {
    expect(utmFrom({})).toBeNull();
    expect(utmFrom({ utm_source: '', utm_term: 'x'.repeat(256), utm_content: 'a\nb' })).toBeNull();
  });
});
