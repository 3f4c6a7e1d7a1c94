import { copyName, copySlug } from './meeting-type-copy.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from './meeting-type-rules.js';

describe('copyName', () => {
  it.each([
    ['Intro call', 'Intro call (copy)'],
    ['Intro call (copy)', 'Intro call (copy) (copy)'],
  ])('%s -> %s', (name, expected) => expect(copyName(name)).toBe(expected));

  it('keeps the name within the API limit of 255 characters', () => {
    const copied = copyName('x'.repeat(255));
    expect(copied).toHaveLength(255);
    expect(copied.endsWith(' (copy)')).toBe(true);
  });
});

describe('copySlug', () => {
  it.each<[string, string[], string]>([
    ['intro-call', [], 'intro-call-copy'],
    ['intro-call', ['intro-call', 'intro-call-copy'], 'intro-call-copy-2'],
    ['intro-call', ['intro-call-copy', 'intro-call-copy-2', 'intro-call-copy-3'], 'intro-call-copy-4'],
    ['intro-call-copy', ['intro-call-copy-copy'], 'intro-call-copy-copy-2'],
  ])('%s with %j taken -> %s', (slug, taken, expected) => expect(copySlug(slug, new Set(taken))).toBe(expected));

  it('cuts a long slug so the suffix fits and the result is still a valid slug', () => {
    const long = `${'a'.repeat(94)}-bcdef`; // 100 characters
    const taken = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const slug = copySlug(long, taken);
      expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
      expect(slug).toMatch(SLUG_PATTERN);
      expect(taken.has(slug)).toBe(false);
      taken.add(slug);
    }
    expect(taken.has(`${'a'.repeat(94)}-copy`)).toBe(true);
    expect(taken.has(`${'a'.repeat(92)}-copy-12`)).toBe(true);
  });
});
