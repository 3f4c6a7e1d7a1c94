import { passwordRefusal } from './password-policy.js';

describe('passwordRefusal', () => {
  const ada = { email: 'ada.lovelace@example.com', username: 'ada' };
  it.each([
    ['short', 'short', 'too_short', /at least 8/],
    ['too long', 'x'.repeat(201), 'too_long', /at most 200/],
    ['common', 'password123', 'too_common', /too common/],
    ['common in another case', 'PassWord123', 'too_common', /too common/],
    ['the email', 'ada.lovelace@example.com', 'contains_account_name', /email address or username/],
    ['containing the local part', 'ada.lovelace1999', 'contains_account_name', /email address or username/],
    ['the username (short: equality)', 'ada', 'too_short', /at least 8/],
  ])('refuses %s', (_name, password, code, message) => {
    const refusal = passwordRefusal(password, ada);
    expect(refusal?.code).toBe(code);
    expect(refusal?.message).toMatch(message);
  });

  it.each([
    ['a passphrase', 'correct-horse-battery'],
    ['a short username inside a longer password (too short to mean anything)', 'adamant-orbit-quarry'],
  ])('accepts %s', (_name, password) => {
    expect(passwordRefusal(password, ada)).toBeNull();
  });

  it('refuses a password containing a username of 4+ characters', () => {
    expect(passwordRefusal('grace-hopper-1906', { email: 'g@example.com', username: 'grace-hopper' })?.code).toBe('contains_account_name');
  });
});
