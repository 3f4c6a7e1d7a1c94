import type { BookingQuestion } from '../../meeting-types/domain/meeting-type.js';
import { validateAnswers } from './answers.js';

const questions: BookingQuestion[] = [
  { id: 'topic', label: 'Topic', type: 'text', required: true },
  { id: 'size', label: 'Team size', type: 'single_choice', required: false, options: ['1-10', '11-50'] },
  { id: 'tools', label: 'Tools', type: 'multi_choice', required: false, options: ['a', 'b'] },
  { id: 'phone', label: 'Phone', type: 'phone', required: false },
];

describe('validateAnswers', () => {
  it('accepts valid answers and trims text', () => {
    expect(validateAnswers(questions, { topic: ' Pricing ', size: '1-10', tools: ['a'], phone: '+44 20 7946 0958' })).toEqual({
      ok: true,
      answers: { topic: 'Pricing', size: '1-10', tools: ['a'], phone: '+44 20 7946 0958' },
    });
  });

  it.each([
    [{}, 'answers.topic', /"Topic" is required/],
    [{ topic: 'x', size: 'huge' }, 'answers.size', /must be one of/],
    [{ topic: 'x', tools: ['c'] }, 'answers.tools', /must be among/],
    [{ topic: 'x', tools: 'a' }, 'answers.tools', /list of choices/],
    [{ topic: 'x', phone: 'call me' }, 'answers.phone', /phone number/],
    [{ topic: 'x', extra: 'y' }, 'answers.extra', /not a question/],
    [{ topic: 42 }, 'answers.topic', /must be text/],
  ])('rejects %j', (answers, field, message) => {
    const result = validateAnswers(questions, answers as Record<string, unknown>);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const problem = result.problems.find((p) => p.field === field);
      expect(problem?.messages[0]).toMatch(message);
    }
  });
});
