import { findUnstorableText, multiLineProblem, singleLineProblem } from './text.js';

describe('findUnstorableText', () => {
  it.each([
    ['plain', { name: 'Ada', tags: ['x', 'y'], nested: { ok: 'é 😀' } }, null],
    ['NUL in a field', { name: 'A\u0000' }, 'name'],
    ['NUL deep in a list', { questions: [{ label: 'ok' }, { label: 'b\u0000' }] }, 'questions.1.label'],
    ['NUL in a key', { answers: { 'a\u0000': 'x' } }, 'answers (a key)'],
    ['lone high surrogate', { name: 'x\ud800' }, 'name'],
    ['lone low surrogate', { name: '\udc00x' }, 'name'],
    ['a bare string', 'a\u0000', '(value)'],
    ['numbers and null', { n: 1, m: null, b: true }, null],
  ])('%s', (_what, value, path) => {
    expect(findUnstorableText(value)).toBe(path);
  });

  it('stops at a bounded depth instead of recursing without end', () => {
    let deep: Record<string, unknown> = { v: 'a\u0000' };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(() => findUnstorableText(deep)).not.toThrow();
  });
});

describe('one-line and multi-line text', () => {
  it.each([
    ['Ada Lovelace', null],
    ['Zoë — 東京 😀', null],
    ['Eve\r\nBcc: x@example.com', 'line'],
    ['tab\there', 'line'],
    ['bell\u0007', 'line'],
    ['C1\u0085', 'line'],
    ['abc\u202Egnp.exe', 'bidirectional'],
  ])('single line: %j', (value, problem) => {
    const found = singleLineProblem(value);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem === 'line' ? 'single line' : problem);
  });

  it.each([
    ['Agenda:\r\n\t1. Intro\n2. Demo', null],
    ['clear screen \u001b[2J', 'control'],
    ['NUL \u0000', 'control'],
    ['\u2066isolate', 'bidirectional'],
  ])('multi-line: %j', (value, problem) => {
    const found = multiLineProblem(value);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
