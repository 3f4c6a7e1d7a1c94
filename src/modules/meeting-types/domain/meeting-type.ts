/** What other contexts (availability, booking, notify, web) read about a meeting type. Pure data. */
export type MeetingKind = 'one_on_one' | 'group' | 'round_robin' | 'collective';

export type QuestionType = 'text' | 'long_text' | 'single_choice' | 'multi_choice' | 'phone';

export interface BookingQuestion {
  id: string; // stable key used in booking `answers`
  label: string;
  type: QuestionType;
  required: boolean;
  options?: string[]; // single/multi choice
}

export type ReminderRecipient = 'invitee' | 'host';

export interface ReminderSetting {
  offset_minutes: number; // before the start
  channel: 'email' | 'sms';
  /** Who gets it; absent = ['invitee'] (reminders stored before hosts could get them). Hosts: email only. */
  recipients?: ReminderRecipient[];
}

/** How a recurring type repeats (issue #17 item 5): same local time in the booking's zone each period. */
export type RecurrenceFrequency = 'weekly' | 'every_two_weeks' | 'monthly';

export interface RecurrenceSetting {
  frequency: RecurrenceFrequency;
  /** The most occurrences one booking may ask for (2..52). */
  maxOccurrences: number;
}

export interface MeetingTypeHost {
  userId: string;
  priority: number; // higher first (round robin tie-break)
  weight: number;
  /** Round robin: booked only when no other host is free ("only if no one else is free"). */
  fallback: boolean;
  /** Round robin: the most bookings of the type this host takes per counting period; null = no cap. */
  maxBookingsPerPeriod: number | null;
}

/** Period caps and invitee policies (issue #17 item 3); null = none. Rules in meeting-type-limits.ts. */
export interface MeetingTypeLimits {
  maxBookingsPerWeek: number | null;
  maxBookingsPerMonth: number | null;
  maxBookingsPerYear: number | null;
  maxBookedMinutesPerDay: number | null;
  maxBookedMinutesPerWeek: number | null;
  maxActiveBookingsPerInvitee: number | null;
  cancellationCutoffMinutes: number | null;
  rescheduleCutoffMinutes: number | null;
  bookingWindowType: 'calendar_days' | 'business_days';
}

export interface MeetingTypeSnapshot {
  id: string;
  ownerId: string;
  teamId: string | null;
  scheduleId: string | null;
  name: string;
  slug: string;
  description: string | null;
  location: Record<string, unknown> | null;
  kind: MeetingKind;
  seats: number | null;
  durationMinutes: number;
  /** Lengths the invitee may pick, ascending, containing durationMinutes (the default); null = only the default. */
  durationOptions: number[] | null;
  /** Invitees may book a series of occurrences at once; null = single bookings only. */
  recurrence: RecurrenceSetting | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  slotIntervalMinutes: number | null;
  minimumNoticeMinutes: number;
  bookingWindowDays: number | null;
  maxBookingsPerDay: number | null;
  limits: MeetingTypeLimits;
  questions: BookingQuestion[];
  reminders: ReminderSetting[];
  isActive: boolean;
  isSecret: boolean;
  /** Bookings start `pending` and hold their slot until a host confirms or declines them (issue #17 item 2). */
  requiresConfirmation: boolean;
  /** How long a pending booking waits for the host before it expires (never past its start). */
  confirmationExpiryMinutes: number;
  /** The hosts whose calendars the type books: the owner for one_on_one/group, host_ids for team kinds. */
  hosts: MeetingTypeHost[];
  /** Round robin: the period bookings are counted in (`calendar_month` in the owner's zone, or `rolling_30_days`). */
  roundRobinPeriod: 'calendar_month' | 'rolling_30_days';
}
