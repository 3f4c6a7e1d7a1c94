import {
  type AccountFields,
  apiKeyNameProblems,
  emailProblems,
  nameProblems,
  newAccountProblems,
  passwordProblems,
  profileChangeProblems,
  timeZoneProblems,
  usernameProblems,
} from './account-rules.js';

const codes = (problems: { field: string; code: string }[]) => problems.map((p) => `${p.field}:${p.code}`);

describe('account rules', () => {
  it.each([
    ['Ada Lovelace', []],
    ['', ['name:required']],
    ['   ', ['name:required']],
    ['x'.repeat(256), ['name:too_long']],
    ['Ada\r\nBcc: eve@example.com', ['name:not_single_line']],
    ['Ada \u202Eecalevol', ['name:not_single_line']],
  ])('name %j → %j', (name, expected) => {
    expect(codes(nameProblems(name))).toEqual(expected);
  });

  it.each([
    ['ada@example.com', []],
    ['not-an-email', ['email:invalid_format']],
    ['ada@localhost', ['email:invalid_format']],
    ['a b@example.com', ['email:invalid_format']],
    [`${'a'.repeat(250)}@example.com`, ['email:too_long']],
  ])('email %j → %j', (email, expected) => {
    expect(codes(emailProblems(email))).toEqual(expected);
  });

  it.each([
    ['ada', []],
    ['ada-king', []],
    ['a'.repeat(41), ['username:invalid_format']],
    ['Ada', ['username:invalid_format']],
    ['-ada', ['username:invalid_format']],
    ['ada_king', ['username:invalid_format']],
    ['admin', ['username:reserved']],
    ['feeds', ['username:reserved']],
  ])('username %j → %j', (username, expected) => {
    expect(codes(usernameProblems(username))).toEqual(expected);
  });

  it.each([
    ['Europe/London', []],
    ['UTC', []],
    ['Mars/Olympus_Mons', ['time_zone:unknown_time_zone']],
    ['', ['time_zone:unknown_time_zone']],
  ])('time zone %j → %j', (zone, expected) => {
    expect(codes(timeZoneProblems(zone))).toEqual(expected);
  });

  it.each([
    ['correct-horse-battery', 'password', []],
    ['password123', 'password', ['password:too_common']],
    ['iloveyou', 'new_password', ['new_password:too_common']],
    ['ada-lovelace-1815', 'new_password', ['new_password:contains_account_name']],
  ])('password %j as %s → %j', (password, field, expected) => {
    const problems = passwordProblems(password, { email: 'ada@example.com', username: 'ada-lovelace' }, field);
    expect(codes(problems)).toEqual(expected);
    for (const p of problems) expect(p.message.startsWith(`${field} `)).toBe(true);
  });

  it.each([
    ['a complete sign-up', {}, []],
    [
      'a reserved username and a weak password, together',
      { username: 'admin', password: 'password123' },
      ['username:reserved', 'password:too_common'],
    ],
    [
      'every field wrong',
      { name: '', email: 'nope', username: 'A', timeZone: 'Nowhere', password: 'short' },
      ['name:required', 'email:invalid_format', 'username:invalid_format', 'time_zone:unknown_time_zone', 'password:too_short'],
    ],
    [
      'a password made of the username typed',
      { username: 'grace-hopper', password: 'grace-hopper-1906' },
      ['password:contains_account_name'],
    ],
  ])('sign-up: %s', (_name, changes: Partial<AccountFields>, expected) => {
    const account = {
      name: 'Grace',
      email: 'grace@example.com',
      username: 'grace',
      timeZone: 'UTC',
      password: 'correct-horse-battery',
      ...changes,
    };
    expect(codes(newAccountProblems(account))).toEqual(expected);
  });

  it.each([
    ['nothing', {}, []],
    ['a good name and zone', { name: 'Ada King', timeZone: 'Asia/Tokyo' }, []],
    ['a reserved username and an empty name', { username: 'api', name: '' }, ['name:required', 'username:reserved']],
    ['a bad email', { email: 'ada' }, ['email:invalid_format']],
  ])('profile change: %s', (_name, changes, expected) => {
    expect(codes(profileChangeProblems(changes))).toEqual(expected);
  });

  it.each([
    ['CI integration', []],
    ['', ['name:required']],
    ['k'.repeat(101), ['name:too_long']],
    ['ci\nkey', ['name:not_single_line']],
  ])('API key name %j → %j', (name, expected) => {
    expect(codes(apiKeyNameProblems(name))).toEqual(expected);
  });
});
