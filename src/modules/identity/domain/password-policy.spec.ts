import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  const ada = { email: 'ada.lovelace@example.com', username: 'ada' };
  it.each([
    ['short', 'short', /at least 8/],
    ['too long', 'x'.repeat(201), /at most 200/],
    ['common', 'password123', /too common/],
    ['common in another case', 'PassWord123', /too common/],
    ['the email', 'ada.lovelace@example.com', /email address or username/],
    ['containing the local part', 'ada.lovelace1999', /email address or username/],
    ['the username (short: equality)', 'ada', /at least 8/],
  ])('refuses %s', (_name, password, message) => {
    expect(passwordProblem(password, ada)).toMatch(message);
  });

  it.each([
    ['a passphrase', 'correct-horse-battery'],
    ['a short username inside a longer password (too short to mean anything)', 'adamant-orbit-quarry'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password, ada)).toBeNull();
  });

  it('refuses a password containing a username of 4+ characters', () => {
    expect(passwordProblem('grace-hopper-1906', { email: 'g@example.com', username: 'grace-hopper' })).toMatch(/username/);
  });
});
