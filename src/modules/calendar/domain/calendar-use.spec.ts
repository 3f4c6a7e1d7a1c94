import { initialCalendarUse } from './calendar-use.js';

describe('initialCalendarUse', () => {
  it.each([
    { primary: true, readOnly: false, hostHasDestination: false, expected: { isBusySource: true, isDestination: true } },
    { primary: true, readOnly: false, hostHasDestination: true, expected: { isBusySource: true, isDestination: false } },
    { primary: true, readOnly: true, hostHasDestination: false, expected: { isBusySource: true, isDestination: false } },
    { primary: false, readOnly: false, hostHasDestination: false, expected: { isBusySource: false, isDestination: false } },
  ])(
    'primary=$primary readOnly=$readOnly hostHasDestination=$hostHasDestination',
    ({ primary, readOnly, hostHasDestination, expected }) => {
      expect(initialCalendarUse({ primary, readOnly }, hostHasDestination)).toEqual(expected);
    },
  );
});
