import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { MeetingTypeView } from '../application/meeting-types.service.js';
import type { MeetingKind, MeetingTypeLimits, QuestionType, RecurrenceFrequency, ReminderRecipient } from '../domain/meeting-type.js';
import { BOOKING_WINDOW_TYPES } from '../domain/meeting-type-limits.js';
import {
  DURATION_MAX,
  DURATION_MIN,
  MAX_DURATION_OPTIONS,
  MAX_OCCURRENCES,
  RECURRENCE_FREQUENCIES,
  offeredDurations,
} from '../domain/meeting-type-options.js';
import {
  CONFIRMATION_EXPIRY_RANGE,
  DEFAULT_CONFIRMATION_EXPIRY_MINUTES,
  type MeetingTypeChanges,
  type QuestionInput,
  REMINDER_RECIPIENTS,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
} from '../domain/meeting-type-rules.js';
import { IsMultiLine, IsSingleLine } from '../../../shared/validation/text-decorators.js';

const KINDS: MeetingKind[] = ['one_on_one', 'group', 'round_robin', 'collective'];
const QUESTION_TYPES: QuestionType[] = ['text', 'long_text', 'single_choice', 'multi_choice', 'phone'];
const LOCATION_TYPES = ['video', 'phone', 'in_person', 'custom', 'google_meet', 'microsoft_teams', 'zoom', 'jitsi'] as const;
const CHANNELS = ['email', 'sms'] as const;
const DURATION_OPTION_MESSAGE = `each of duration_options must be an integer from ${DURATION_MIN} to ${DURATION_MAX}`;

const int = (field: string, min: number, max: number) => {
  const message = `${field} must be an integer from ${min} to ${max}`;
  return [IsInt({ message }), Min(min, { message }), Max(max, { message })];
};
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

export class LocationDto {
  @ApiProperty({ enum: LOCATION_TYPES })
  @IsIn(LOCATION_TYPES, { message: `location.type must be one of: ${LOCATION_TYPES.join(', ')}` })
  type: (typeof LOCATION_TYPES)[number];

  @ApiPropertyOptional({
    description:
      'a meeting link (video), phone number, address or free text; empty for google_meet, microsoft_teams, zoom and jitsi (a link per booking)',
    example: 'https://meet.example.com/ada',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsSingleLine()
  value?: string;
}

export class QuestionDto {
  @ApiPropertyOptional({ description: 'stable key used in booking answers; generated from the label when missing', example: 'company' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'questions id must be 1-64 lowercase letters, digits, "_" or "-"' })
  id?: string;

  @ApiProperty({ example: 'Company' })
  @IsString()
  @MinLength(1, { message: 'question label must not be empty' })
  @MaxLength(500)
  @IsSingleLine()
  label: string;

  @ApiProperty({ enum: QUESTION_TYPES })
  @IsIn(QUESTION_TYPES, { message: `question type must be one of: ${QUESTION_TYPES.join(', ')}` })
  type: QuestionType;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'choices (single_choice and multi_choice only)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  @IsSingleLine({ each: true })
  options?: string[];
}

export class ReminderDto {
  @ApiProperty({ type: 'integer', example: 1440, description: 'minutes before the start (1 to 43200 = 30 days)' })
  @apply(int('offset_minutes', 1, 43_200))
  offset_minutes: number;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS, { message: 'reminder channel must be email or sms' })
  channel: (typeof CHANNELS)[number];

  @ApiPropertyOptional({
    enum: REMINDER_RECIPIENTS,
    isArray: true,
    default: ['invitee'],
    example: ['invitee', 'host'],
    description:
      "who receives it: the invitee (default when absent), the booking's hosts (collective: every host; " +
      'round robin: the assigned host), or both. Hosts get reminders by email only, so sms reminders take invitee only.',
  })
  @IsOptional()
  @IsArray({ message: 'reminder recipients must be a list of invitee and/or host' })
  @ArrayNotEmpty({ message: 'reminder recipients must name at least one of invitee, host (leave it out for the invitee only)' })
  @ArrayMaxSize(REMINDER_RECIPIENTS.length, { message: 'reminder recipients must not repeat a recipient' })
  @IsIn(REMINDER_RECIPIENTS as ReminderRecipient[], { each: true, message: 'reminder recipients must be invitee and/or host' })
  recipients?: ReminderRecipient[];
}

export class RecurrenceDto {
  @ApiProperty({ enum: RECURRENCE_FREQUENCIES, description: 'same local time (in the booking time zone) each week, two weeks or month' })
  @IsIn(RECURRENCE_FREQUENCIES, { message: `recurrence.frequency must be one of: ${RECURRENCE_FREQUENCIES.join(', ')}` })
  frequency: RecurrenceFrequency;

  @ApiProperty({ type: 'integer', minimum: 2, maximum: MAX_OCCURRENCES, example: 12, description: 'most occurrences one booking may take' })
  @apply(int('recurrence.max_occurrences', 2, MAX_OCCURRENCES))
  max_occurrences: number;
}

export class CreateMeetingTypeDto {
  @ApiProperty({ example: 'Intro call' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255)
  @IsSingleLine()
  name: string;

  @ApiPropertyOptional({ example: 'intro-call', description: 'lowercase URL key, unique per owner; default: from the name' })
  @IsOptional()
  @IsString()
  @MaxLength(SLUG_MAX_LENGTH)
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and single "-" between them (e.g. "intro-call")' })
  slug?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @IsMultiLine()
  description?: string | null;

  @ApiPropertyOptional({ type: LocationDto, nullable: true })
  @IsOptional()
  @IsObject({ message: 'location must be an object {type, value?}' })
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiProperty({ type: 'integer', minimum: 5, maximum: 720, example: 30 })
  @apply(int('duration_minutes', 5, 720))
  duration_minutes: number;

  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    nullable: true,
    example: [15, 30, 60],
    description:
      `lengths the invitee may pick (${DURATION_MIN}-${DURATION_MAX} minutes each, distinct, containing duration_minutes, ` +
      'which stays the default); null or [] = only duration_minutes. Not for group types.',
  })
  @IsOptional()
  @IsArray({ message: 'duration_options must be a list of minutes' })
  @ArrayMaxSize(MAX_DURATION_OPTIONS, { message: `duration_options may list at most ${MAX_DURATION_OPTIONS} lengths` })
  @IsInt({ each: true, message: DURATION_OPTION_MESSAGE })
  @Min(DURATION_MIN, { each: true, message: DURATION_OPTION_MESSAGE })
  @Max(DURATION_MAX, { each: true, message: DURATION_OPTION_MESSAGE })
  duration_options?: number[] | null;

  @ApiPropertyOptional({
    type: RecurrenceDto,
    nullable: true,
    description:
      'one_on_one and collective only: invitees may book up to max_occurrences meetings at once (POST /api/bookings ' +
      '`occurrences`), all or none; null = single bookings',
  })
  @IsOptional()
  @IsObject({ message: 'recurrence must be an object {frequency, max_occurrences}' })
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence?: RecurrenceDto | null;

  @ApiPropertyOptional({ enum: KINDS, default: 'one_on_one' })
  @IsOptional()
  @IsIn(KINDS, { message: `kind must be one of: ${KINDS.join(', ')}` })
  kind?: MeetingKind;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 2,
    maximum: 1000,
    nullable: true,
    description: 'group only (required there): invitees per slot',
  })
  @IsOptional()
  @apply(int('seats', 2, 1000))
  seats?: number | null;

  @ApiPropertyOptional({ type: [String], description: 'round_robin and collective (required there): members of team_id' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'host_ids must be user ids (UUIDs)' })
  host_ids?: string[] | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'round_robin and collective (required there)' })
  @IsOptional()
  @IsUUID('all', { message: 'team_id must be a UUID' })
  team_id?: string | null;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 240 })
  @IsOptional()
  @apply(int('buffer_before_minutes', 0, 240))
  buffer_before_minutes?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 240 })
  @IsOptional()
  @apply(int('buffer_after_minutes', 0, 240))
  buffer_after_minutes?: number;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 5,
    maximum: 720,
    description: 'step between slot starts; null = the duration',
  })
  @IsOptional()
  @apply(int('slot_interval_minutes', 5, 720))
  slot_interval_minutes?: number | null;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 525_600 })
  @IsOptional()
  @apply(int('minimum_notice_minutes', 0, 525_600))
  minimum_notice_minutes?: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 3650, description: 'rolling window; null = no limit' })
  @IsOptional()
  @apply(int('booking_window_days', 1, 3650))
  booking_window_days?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 1000,
    description: 'per host per local day; null = no limit',
  })
  @IsOptional()
  @apply(int('max_bookings_per_day', 1, 1000))
  max_bookings_per_day?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 10000,
    description: 'per host per calendar week in its zone (from its week_start); null = no limit',
  })
  @IsOptional()
  @apply(int('max_bookings_per_week', 1, 10000))
  max_bookings_per_week?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 100000,
    description: 'per host per calendar month in its zone; null = no limit',
  })
  @IsOptional()
  @apply(int('max_bookings_per_month', 1, 100000))
  max_bookings_per_month?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 1000000,
    description: 'per host per calendar year in its zone; null = no limit',
  })
  @IsOptional()
  @apply(int('max_bookings_per_year', 1, 1000000))
  max_bookings_per_year?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 5,
    maximum: 1440,
    description: 'booked minutes per host per local day (by start date); null = no limit',
  })
  @IsOptional()
  @apply(int('max_booked_minutes_per_day', 5, 1440))
  max_booked_minutes_per_day?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 5,
    maximum: 10080,
    description: 'booked minutes per host per calendar week; null = no limit',
  })
  @IsOptional()
  @apply(int('max_booked_minutes_per_week', 5, 10080))
  max_booked_minutes_per_week?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 1000,
    description: 'future pending or confirmed bookings of this type per invitee email; null = no limit',
  })
  @IsOptional()
  @apply(int('max_active_bookings_per_invitee', 1, 1000))
  max_active_bookings_per_invitee?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 525600,
    description: 'invitees cannot cancel within this many minutes of the start (hosts can); null = any time',
  })
  @IsOptional()
  @apply(int('cancellation_cutoff_minutes', 0, 525600))
  cancellation_cutoff_minutes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 525600,
    description: 'invitees cannot reschedule within this many minutes of the start (hosts can); null = any time',
  })
  @IsOptional()
  @apply(int('reschedule_cutoff_minutes', 0, 525600))
  reschedule_cutoff_minutes?: number | null;

  @ApiPropertyOptional({
    enum: BOOKING_WINDOW_TYPES,
    default: 'calendar_days',
    nullable: true,
    description: 'how booking_window_days counts: every date, or Monday to Friday in the host zone',
  })
  @IsOptional()
  @IsIn(BOOKING_WINDOW_TYPES, { message: `booking_window_type must be one of: ${BOOKING_WINDOW_TYPES.join(', ')}` })
  booking_window_type?: MeetingTypeLimits['bookingWindowType'] | null;

  @ApiPropertyOptional({ type: [QuestionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions?: QuestionDto[];

  @ApiPropertyOptional({
    type: [ReminderDto],
    description: 'default: 24 h and 1 h before, by email, to the invitee; an entry may also (or only) remind the hosts',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ReminderDto)
  reminders?: ReminderDto[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "one of the caller's schedules; null = the default" })
  @IsOptional()
  @IsUUID('all', { message: 'schedule_id must be a UUID' })
  schedule_id?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ default: false, description: 'bookable by direct link but not listed on the booking page' })
  @IsOptional()
  @IsBoolean()
  is_secret?: boolean;

  @ApiPropertyOptional({
    default: false,
    nullable: true,
    description:
      'bookings start as `pending` and hold their slot until a host confirms (POST /api/bookings/{id}/confirm) or ' +
      'declines them, or until confirmation_expiry_minutes pass (then `expired`). Not for group types. null = false',
  })
  @IsOptional()
  @IsBoolean({ message: 'requires_confirmation must be true or false' })
  requires_confirmation?: boolean | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: CONFIRMATION_EXPIRY_RANGE.min,
    maximum: CONFIRMATION_EXPIRY_RANGE.max,
    default: DEFAULT_CONFIRMATION_EXPIRY_MINUTES,
    nullable: true,
    description:
      'how long a pending booking waits for the host, from when it is made; it expires at its start time at the ' +
      'latest. null = the default (1440, one day)',
  })
  @IsOptional()
  @apply(int('confirmation_expiry_minutes', CONFIRMATION_EXPIRY_RANGE.min, CONFIRMATION_EXPIRY_RANGE.max))
  confirmation_expiry_minutes?: number | null;
}

/** PUT: any subset of the fields; null resets a field to its default (or clears it). */
export class UpdateMeetingTypeDto extends PartialType(CreateMeetingTypeDto) {}

export class ListMeetingTypesQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @apply(int('limit', 1, 100))
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @apply(int('offset', 0, 1_000_000))
  offset?: number;
}

export class MeetingTypeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the owner' }) user_id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: LocationDto, nullable: true }) location: Record<string, unknown> | null;
  @ApiProperty({ enum: KINDS }) kind: MeetingKind;
  @ApiProperty({ nullable: true, type: 'integer' }) seats: number | null;
  @ApiProperty({ type: 'integer' }) duration_minutes: number;
  @ApiProperty({
    type: 'integer',
    isArray: true,
    description: 'every length an invitee may pick, ascending (the default alone when no choice)',
  })
  duration_options: number[];
  @ApiProperty({ type: RecurrenceDto, nullable: true }) recurrence: RecurrenceDto | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) team_id: string | null;
  @ApiProperty({ type: [String], description: 'the hosts it books (the owner for one_on_one and group)' }) host_ids: string[];
  @ApiProperty({ type: 'integer' }) buffer_before_minutes: number;
  @ApiProperty({ type: 'integer' }) buffer_after_minutes: number;
  @ApiProperty({ nullable: true, type: 'integer', description: 'null = the duration' }) slot_interval_minutes: number | null;
  @ApiProperty({ type: 'integer' }) minimum_notice_minutes: number;
  @ApiProperty({ nullable: true, type: 'integer' }) booking_window_days: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_day: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_week: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_month: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_year: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_booked_minutes_per_day: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_booked_minutes_per_week: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_active_bookings_per_invitee: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) cancellation_cutoff_minutes: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) reschedule_cutoff_minutes: number | null;
  @ApiProperty({ enum: BOOKING_WINDOW_TYPES }) booking_window_type: MeetingTypeLimits['bookingWindowType'];
  @ApiProperty({ type: [QuestionDto] }) questions: QuestionDto[];
  @ApiProperty({ type: [ReminderDto] }) reminders: ReminderDto[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schedule_id: string | null;
  @ApiProperty() is_active: boolean;
  @ApiProperty() is_secret: boolean;
  @ApiProperty({ description: 'bookings wait for a host to confirm them (status pending)' }) requires_confirmation: boolean;
  @ApiProperty({ type: 'integer', description: 'minutes a pending booking waits before it expires (at its start at the latest)' })
  confirmation_expiry_minutes: number;
  @ApiProperty({ example: 'https://kairos.example/ada/intro-call' }) booking_url: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toChanges(dto: UpdateMeetingTypeDto): MeetingTypeChanges {
  return {
    name: dto.name,
    slug: dto.slug,
    description: dto.description,
    location: dto.location ? toLocation(dto.location) : dto.location,
    durationMinutes: dto.duration_minutes,
    durationOptions: dto.duration_options && [...dto.duration_options],
    recurrence: dto.recurrence && { frequency: dto.recurrence.frequency, maxOccurrences: dto.recurrence.max_occurrences },
    kind: dto.kind,
    seats: dto.seats,
    hostIds: dto.host_ids,
    teamId: dto.team_id,
    bufferBeforeMinutes: dto.buffer_before_minutes,
    bufferAfterMinutes: dto.buffer_after_minutes,
    slotIntervalMinutes: dto.slot_interval_minutes,
    minimumNoticeMinutes: dto.minimum_notice_minutes,
    bookingWindowDays: dto.booking_window_days,
    maxBookingsPerDay: dto.max_bookings_per_day,
    limits: {
      maxBookingsPerWeek: dto.max_bookings_per_week,
      maxBookingsPerMonth: dto.max_bookings_per_month,
      maxBookingsPerYear: dto.max_bookings_per_year,
      maxBookedMinutesPerDay: dto.max_booked_minutes_per_day,
      maxBookedMinutesPerWeek: dto.max_booked_minutes_per_week,
      maxActiveBookingsPerInvitee: dto.max_active_bookings_per_invitee,
      cancellationCutoffMinutes: dto.cancellation_cutoff_minutes,
      rescheduleCutoffMinutes: dto.reschedule_cutoff_minutes,
      bookingWindowType: dto.booking_window_type,
    },
    questions: dto.questions && dto.questions.map(toQuestionInput),
    reminders:
      dto.reminders &&
      dto.reminders.map((r) => ({
        offset_minutes: r.offset_minutes,
        channel: r.channel,
        ...(r.recipients !== undefined ? { recipients: [...r.recipients] } : {}),
      })),
    scheduleId: dto.schedule_id,
    isActive: dto.is_active,
    isSecret: dto.is_secret,
    requiresConfirmation: dto.requires_confirmation,
    confirmationExpiryMinutes: dto.confirmation_expiry_minutes,
  };
}

// The rules take plain data: copy the validated DTO instances field by field (the pipe's whitelist makes these all).
const toLocation = (l: LocationDto): Record<string, unknown> => ({ type: l.type, ...(l.value !== undefined ? { value: l.value } : {}) });
const toQuestionInput = (q: QuestionDto): QuestionInput => ({
  id: q.id,
  label: q.label,
  type: q.type,
  required: q.required,
  options: q.options,
});

export function toMeetingType(v: MeetingTypeView, publicUrl: string): MeetingTypeDto {
  const s = v.snapshot;
  return {
    id: s.id,
    user_id: s.ownerId,
    name: s.name,
    slug: s.slug,
    description: s.description,
    location: s.location,
    kind: s.kind,
    seats: s.seats,
    duration_minutes: s.durationMinutes,
    duration_options: offeredDurations(s),
    recurrence: s.recurrence && { frequency: s.recurrence.frequency, max_occurrences: s.recurrence.maxOccurrences },
    team_id: s.teamId,
    host_ids: s.hosts.map((h) => h.userId),
    buffer_before_minutes: s.bufferBeforeMinutes,
    buffer_after_minutes: s.bufferAfterMinutes,
    slot_interval_minutes: s.slotIntervalMinutes,
    minimum_notice_minutes: s.minimumNoticeMinutes,
    booking_window_days: s.bookingWindowDays,
    max_bookings_per_day: s.maxBookingsPerDay,
    max_bookings_per_week: s.limits.maxBookingsPerWeek,
    max_bookings_per_month: s.limits.maxBookingsPerMonth,
    max_bookings_per_year: s.limits.maxBookingsPerYear,
    max_booked_minutes_per_day: s.limits.maxBookedMinutesPerDay,
    max_booked_minutes_per_week: s.limits.maxBookedMinutesPerWeek,
    max_active_bookings_per_invitee: s.limits.maxActiveBookingsPerInvitee,
    cancellation_cutoff_minutes: s.limits.cancellationCutoffMinutes,
    reschedule_cutoff_minutes: s.limits.rescheduleCutoffMinutes,
    booking_window_type: s.limits.bookingWindowType,
    questions: s.questions,
    reminders: s.reminders,
    schedule_id: s.scheduleId,
    is_active: s.isActive,
    is_secret: s.isSecret,
    requires_confirmation: s.requiresConfirmation,
    confirmation_expiry_minutes: s.confirmationExpiryMinutes,
    booking_url: `${publicUrl}/${v.ownerUsername}/${s.slug}`,
    created_at: v.createdAt.toISOString(),
    updated_at: v.updatedAt.toISOString(),
  };
}
