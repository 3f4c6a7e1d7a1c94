// Pure pieces of the admin's booking details page: the history lines from audit entries, answers with their
// questions' labels.

/** An audit entry as the page reads it (audit_log's columns; details hold ids and times only). */
export interface HistoryEntry {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  booking_id: string | null;
  details: Record<string, unknown>;
}

export interface HistoryLine {
  id: string;
  at: Date;
  action: string;
  what: string;
  by: string;
  /** booking.rescheduled: the times moved from and to. */
  from?: { start: Date; end: Date };
  to?: { start: Date; end: Date };
  reason?: string | null;
}

/** Who did what, in words (English here; the admin passes the host's language). */
export interface HistoryWords {
  what: Record<string, string>;
  calendar: string;
  invitee: (name: string) => string;
  host: (name: string) => string;
  someInvitee: string;
  someHost: string;
}

const WHAT: Record<string, string> = {
  'booking.created': 'Booked',
  'booking.rescheduled': 'Rescheduled',
  'booking.cancelled': 'Cancelled',
  'booking.confirmed': 'Confirmed',
  'booking.declined': 'Declined',
  'booking.expired': 'Expired without an answer',
};

const ENGLISH_HISTORY_WORDS: HistoryWords = {
  what: WHAT,
  calendar: "the host's calendar",
  invitee: (name) => `${name} (invitee)`,
  host: (name) => `${name} (host)`,
  someInvitee: 'the invitee',
  someHost: 'a host',
};

const dateOf = (v: unknown): Date | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);

/**
 * The booking's story, oldest first, from the audit entries of it and of the bookings it replaced. Names come from
 * `names` (the booking's hosts and invitees by id); a cancellation or decline shows `reasonOf` its booking (the reason
 * is kept on the booking, never in the audit log).
 */
export function historyLines(
  entries: HistoryEntry[],
  names: Map<string, string>,
  reasonOf: (bookingId: string | null) => string | null,
  words: HistoryWords = ENGLISH_HISTORY_WORDS,
): HistoryLine[] {
  const seen = new Set<string>();
  const unique = entries.filter((e) => !seen.has(e.id) && seen.add(e.id));
  unique.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  return unique.map((e) => {
    const name = e.actor_id ? names.get(e.actor_id) : undefined;
    const invitee = e.actor_type === 'invitee';
    const by =
      e.actor_type === 'system'
        ? 'Kairos'
        : e.actor_type === 'calendar'
          ? words.calendar
          : invitee
            ? words.invitee(name ?? words.someInvitee)
            : words.host(name ?? words.someHost);
    const what = (words.what as Partial<Record<string, string>>)[e.action] ?? e.action;
    const line: HistoryLine = { id: e.id, at: new Date(e.occurred_at), action: e.action, what, by };
    const start = dateOf(e.details.start_time);
    const end = dateOf(e.details.end_time);
    if (e.action === 'booking.rescheduled') {
      const prevStart = dateOf(e.details.previous_start_time);
      const prevEnd = dateOf(e.details.previous_end_time);
      if (prevStart && prevEnd) line.from = { start: prevStart, end: prevEnd };
      if (start && end) line.to = { start, end };
    }
    if (e.action === 'booking.cancelled' || e.action === 'booking.declined') {
      line.reason = e.details.has_reason === false ? null : reasonOf(e.booking_id);
    }
    return line;
  });
}

/** Answers as "question label: answer", in the order of the type's questions; answers to removed questions last. */
export function answerLines(
  answers: Record<string, unknown>,
  questions: ReadonlyArray<{ id: string; label: string }>,
  yesNo: { yes: string; no: string } = { yes: 'Yes', no: 'No' },
): Array<{ label: string; value: string }> {
  const show = (v: unknown): string =>
    Array.isArray(v)
      ? v.map(show).join(', ')
      : typeof v === 'boolean'
        ? v
          ? yesNo.yes
          : yesNo.no
        : typeof v === 'string' || typeof v === 'number'
          ? String(v)
          : v === null || v === undefined
            ? ''
            : JSON.stringify(v);
  const known = questions.filter((q) => q.id in answers).map((q) => ({ label: q.label, value: show(answers[q.id]) }));
  const ids = new Set(questions.map((q) => q.id));
  const other = Object.keys(answers)
    .filter((id) => !ids.has(id))
    .map((id) => ({ label: id, value: show(answers[id]) }));
  return [...known, ...other].filter((a) => a.value !== '');
}
