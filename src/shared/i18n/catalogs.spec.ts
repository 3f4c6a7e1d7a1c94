import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGS, translate } from './i18n.js';
import { en } from './catalogs/en.js';
import { SUPPORTED_LOCALES } from './locales.js';

/** Every argument a message uses, with its kind ("name:argument", "count:plural", "frequency:select"). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) {
      into.add(`${e.value}:${TYPE[e.type]}`);
    } else if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.add(`${e.value}:${TYPE[e.type]}`);
      for (const option of Object.values(e.options)) argumentsOf(option.value, into);
    } else if (e.type === TYPE.tag) argumentsOf(e.children, into);
  }
  return into;
}

const english = Object.keys(en).sort();

describe('message catalogs (issue #18)', () => {
  it('offers exactly the six languages', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  describe.each(SUPPORTED_LOCALES.filter((l) => l !== 'en'))('%s', (locale) => {
    const catalog = CATALOGS[locale] as Record<string, string>;

    it('has every key of the English catalog', () => {
      expect(english.filter((key) => typeof catalog[key] !== 'string' || catalog[key]!.trim() === '')).toEqual([]);
    });

    it('has no key English lacks', () => {
      expect(Object.keys(catalog).filter((key) => !(key in en))).toEqual([]);
    });

    it('uses the same arguments as English in every message', () => {
      const mismatched = english.filter((key) => {
        const ours = [...argumentsOf(parse(catalog[key]!))].sort();
        const theirs = [...argumentsOf(parse(en[key as keyof typeof en]))].sort();
        return JSON.stringify(ours) !== JSON.stringify(theirs);
      });
      expect(mismatched).toEqual([]);
    });
  });

  it.each(SUPPORTED_LOCALES)('every %s message parses as ICU MessageFormat', (locale) => {
    const failures: string[] = [];
    for (const [key, message] of Object.entries(CATALOGS[locale])) {
      try {
        parse(message);
      } catch (error) {
        failures.push(`${key}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('formats arguments, plurals and selects', () => {
    expect(translate('en', 'picker.dayWithTimes', { date: 'Monday', count: 1 })).toBe('Monday, 1 time available');
    expect(translate('en', 'picker.dayWithTimes', { date: 'Monday', count: 3 })).toBe('Monday, 3 times available');
    expect(translate('de', 'picker.dayWithTimes', { date: 'Montag', count: 3 })).toBe('Montag, 3 freie Zeiten');
    expect(translate('en', 'email.cancelled', { role: 'invitee', meeting: 'Intro', who: 'Ada', by: 'host' })).toBe(
      'Your Intro with Ada has been cancelled by the host.',
    );
    expect(translate('en', 'email.cancelled', { role: 'guest', meeting: 'Intro', who: 'Ada', by: '' })).toBe(
      'The Intro with Ada has been cancelled.',
    );
    expect(translate('fr', 'form.name')).toBe('Votre nom');
    expect(translate('xx', 'form.name')).toBe('Your name');
    expect(translate('ja', 'no.such.key')).toBe('no.such.key');
  });
});
