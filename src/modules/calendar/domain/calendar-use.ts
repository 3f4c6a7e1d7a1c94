/** What the host uses one calendar of a connection for. */
export interface CalendarUse {
  isBusySource: boolean;
  isDestination: boolean;
}

/**
 * A calendar seen for the first time: only the primary one blocks time, and it receives bookings when it can be
 * written to and the host has no destination yet (one per host). The host changes this afterwards.
 */
export function initialCalendarUse(calendar: { primary: boolean; readOnly: boolean }, hostHasDestination: boolean): CalendarUse {
  return {
    isBusySource: calendar.primary,
    isDestination: calendar.primary && !calendar.readOnly && !hostHasDestination,
  };
}
