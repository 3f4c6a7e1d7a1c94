import type { BookingQuestion } from '../../meeting-types/domain/meeting-type.js';
import { carriedParams, hiddenInputs, prefilledForm, withCarried } from './embed-mode.js';

const questions: BookingQuestion[] = [
  { id: 'topic', label: 'Topic', type: 'text', required: false },
  { id: 'tools', label: 'Tools', type: 'multi_choice', required: false, options: ['A', 'B'] },
];

describe('embed mode parameters', () => {
  it('carries embed, utm_* and the prefill, and nothing else', () => {
    const query = {
      embed: '1',
      tz: 'Europe/Paris',
      utm_source: 'news',
      utm_bogus: 'x',
      name: 'Ada',
      'answers[topic]': 'Pricing',
      'answers[tools]': ['A', 'B'],
      'answers[Bad Id]': 'x',
      hold: 'secret',
    };
    expect(carriedParams(query)).toEqual({
      embed: '1',
      utm_source: 'news',
      name: 'Ada',
      'answers[topic]': 'Pricing',
      'answers[tools]': ['A', 'B'],
    });
    expect(carriedParams(query, false)).toEqual({ embed: '1', utm_source: 'news' });
    expect(carriedParams({ embed: '0', name: '' })).toEqual({});
  });

  it('fills the booking form fields from the prefill', () => {
    expect(
      prefilledForm(
        { name: 'Ada', email: 'ada@example.com', 'answers[topic]': 'Pricing', 'answers[tools]': ['B'], 'answers[x]': 'y' },
        questions,
      ),
    ).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      q_topic: 'Pricing',
      q_tools: 'B',
    });
  });

  it('appends to links and hidden inputs', () => {
    expect(withCarried('/ada/intro', { embed: '1', 'answers[tools]': ['A', 'B'] })).toBe(
      '/ada/intro?embed=1&answers%5Btools%5D=A&answers%5Btools%5D=B',
    );
    expect(withCarried('/ada/intro?tz=UTC', {})).toBe('/ada/intro?tz=UTC');
    expect(hiddenInputs({ embed: '1', 'answers[tools]': ['A', 'B'] })).toEqual([
      { name: 'embed', value: '1' },
      { name: 'answers[tools]', value: 'A' },
      { name: 'answers[tools]', value: 'B' },
    ]);
  });
});
