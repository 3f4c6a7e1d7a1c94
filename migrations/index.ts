import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Notify1764000000100 } from './1764000000100-notify.js';
import { Calendar1764000000200 } from './1764000000200-calendar.js';
import { Ops1764000000400 } from './1764000000400-ops.js';
import { Caldav1764000000500 } from './1764000000500-caldav.js';
import { WebhookDisabled1764000000650 } from './1764000000650-webhook-disabled.js';
import { SlotHoldLimits1764000001200 } from './1764000001200-slot-hold-limits.js';
import { Sessions1764000001300 } from './1764000001300-sessions.js';
import { CacheEpoch1764000002100 } from './1764000002100-cache-epoch.js';
import { GoogleSignIn1764000003100 } from './1764000003100-google-sign-in.js';
import { PartitionedBookings1764000005000 } from './1764000005000-partitioned-bookings.js';
import { InviteesFrom1764000006000 } from './1764000006000-invitees-from.js';
import { HostMoveConflictDelivery1764000007000 } from './1764000007000-host-move-conflict-delivery.js';
import { DeliveryBacklogIndex1764000008000 } from './1764000008000-delivery-backlog-index.js';
import { BookingConferences1764000009000 } from './1764000009000-booking-conferences.js';
import { BookingApproval1764000009100 } from './1764000009100-booking-approval.js';
import { BookingLimits1764000009200 } from './1764000009200-booking-limits.js';
import { TimeOff1764000009300 } from './1764000009300-time-off.js';
import { DurationOptionsAndSeries1764000009400 } from './1764000009400-duration-options-and-series.js';
import { InviteeGuests1764000009500 } from './1764000009500-invitee-guests.js';
import { OnboardingAndEmailVerification1764000009600 } from './1764000009600-onboarding-and-email-verification.js';
import { Embedding1764000009800 } from './1764000009800-embedding.js';
import { Locales1764000009900 } from './1764000009900-locales.js';
import { Insights1764000009950 } from './1764000009950-insights.js';
import { RoundRobinFairness1764000010100 } from './1764000010100-round-robin-fairness.js';
import { Waitlist1764000010200 } from './1764000010200-waitlist.js';
import { GroupWaitlist1764000010300 } from './1764000010300-group-waitlist.js';
import { WaitlistLocale1764000010500 } from './1764000010500-waitlist-locale.js';
import { WaitlistTimeZone1764000010600 } from './1764000010600-waitlist-time-zone.js';

/** Every migration, in order. Listed explicitly so ESM builds need no file globbing. */
export const migrations = [
  InitialSchema1764000000000,
  Notify1764000000100,
  Calendar1764000000200,
  Ops1764000000400,
  Caldav1764000000500,
  WebhookDisabled1764000000650,
  SlotHoldLimits1764000001200,
  Sessions1764000001300,
  CacheEpoch1764000002100,
  GoogleSignIn1764000003100,
  PartitionedBookings1764000005000,
  InviteesFrom1764000006000,
  HostMoveConflictDelivery1764000007000,
  DeliveryBacklogIndex1764000008000,
  BookingConferences1764000009000,
  BookingApproval1764000009100,
  BookingLimits1764000009200,
  TimeOff1764000009300,
  DurationOptionsAndSeries1764000009400,
  InviteeGuests1764000009500,
  OnboardingAndEmailVerification1764000009600,
  Embedding1764000009800,
  Locales1764000009900,
  Insights1764000009950,
  RoundRobinFairness1764000010100,
  Waitlist1764000010200,
  GroupWaitlist1764000010300,
  WaitlistLocale1764000010500,
  WaitlistTimeZone1764000010600,
];
