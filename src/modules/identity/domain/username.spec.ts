import { USERNAME_PATTERN, usernameCandidates } from './username.js';

describe('usernameCandidates', () => {
  it.each([
    ['ada@example.com', 'ada'],
    ['Ada.Lovelace+cal@example.com', 'ada-lovelace-cal'],
    ['josé.núñez@example.com', 'jose-nunez'],
    ['__x__@example.com', 'x'],
    ['__@example.com', 'host'], // folds to nothing
    ['admin@example.com', 'host'], // reserved
    ['---@example.com', 'host'],
    [`${'a'.repeat(60)}@example.com`, 'a'.repeat(36)],
  ])('%s starts from %s', (email, first) => {
    expect(usernameCandidates(email)[0]).toBe(first);
  });

  it('numbers the variants, every one a valid handle', () => {
    const all = usernameCandidates(`${'b'.repeat(60)}@x.test`, 12);
    expect(all).toHaveLength(12);
    expect(all[1]).toBe(`${'b'.repeat(36)}-2`);
    for (const u of all) expect(u).toMatch(USERNAME_PATTERN);
    expect(new Set(all).size).toBe(12);
  });
});
