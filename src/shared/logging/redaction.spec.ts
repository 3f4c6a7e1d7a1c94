import { maskErrorEmails, maskLogArguments, redactUrl } from './redaction.js';

const SECRET = 'Zk9-secret_Value';

describe('redactUrl', () => {
  it.each([
    // [logged URL, what must be left]
    [`/api/bookings/1?token=${SECRET}`, '/api/bookings/1?token=[REDACTED]'],
    [`/api/bookings/1?token=${SECRET}&token=${SECRET}2`, '/api/bookings/1?token=[REDACTED]&token=[REDACTED]'],
    [`/api/bookings/1?token[]=${SECRET}`, '/api/bookings/1?token[]=[REDACTED]'],
    [`/api/bookings/1?token%5B%5D=${SECRET}&token%5B0%5D=${SECRET}`, '/api/bookings/1?token%5B%5D=[REDACTED]&token%5B0%5D=[REDACTED]'],
    [`/api/bookings/1?TOKEN=${SECRET}`, '/api/bookings/1?TOKEN=[REDACTED]'],
    [`/api/bookings/1?tok%65n=${SECRET}`, '/api/bookings/1?tok%65n=[REDACTED]'],
    [`/api/bookings/1?management_token=${SECRET}&tz=UTC`, '/api/bookings/1?management_token=[REDACTED]&tz=UTC'],
    [`/booking/1?h12=1&token=${SECRET}&booked=1`, '/booking/1?h12=1&token=[REDACTED]&booked=1'],
    [`/cb?code=${SECRET}&state=${SECRET}`, '/cb?code=[REDACTED]&state=[REDACTED]'],
    [`/x?api_key=${SECRET}&access_token=${SECRET}&password=${SECRET}`, '/x?api_key=[REDACTED]&access_token=[REDACTED]&password=[REDACTED]'],
    [`/feeds/${SECRET}.ics`, '/feeds/[REDACTED]'],
    [`/FEEDS/${SECRET}.ics?x=1`, '/FEEDS/[REDACTED]?x=1'],
    [`/fe%65ds/${SECRET}.ics`, '/feeds/[REDACTED]'],
    [`/api/teams/invitations/${SECRET}/accept`, '/api/teams/invitations/[REDACTED]/accept'],
    [`/api/slots/holds/${SECRET}`, '/api/slots/holds/[REDACTED]'],
    ['/api/privacy/erase-invitee?email=ada%40example.com', '/api/privacy/erase-invitee?email=[EMAIL]'],
    ['/x?who=ada@example.com&n=2', '/x?who=[EMAIL]&n=2'],
    ['/x?ada@example.com', '/x?[EMAIL]'],
    [
      '/api/availability/slots?meeting_type_id=abc&date=2027-03-02&timezone=Europe%2FLondon',
      '/api/availability/slots?meeting_type_id=abc&date=2027-03-02&timezone=Europe%2FLondon',
    ],
    ['/x?bad=%E0%A4%A', '/x?bad=%E0%A4%A'],
    [undefined, ''],
  ])('%s', (url, expected) => {
    const out = redactUrl(url);
    expect(out).toBe(expected);
    expect(out).not.toContain(SECRET);
  });
});

describe('email masking in log calls', () => {
  it('masks emails in messages, printf arguments and one level of a merging object', () => {
    const context = { context: 'Mail' };
    const [obj, msg, arg] = maskLogArguments([{ ...context, to: 'Ada <ada.l+x@mail.example.co.uk>' }, 'mail to %s', 'grace@example.com']);
    expect(obj).toEqual({ context: 'Mail', to: 'Ada <[EMAIL]>' });
    expect(msg).toBe('mail to %s');
    expect(arg).toBe('[EMAIL]');
    expect(maskLogArguments(['SMTP_URL is unset: mail "Confirmed" to bob@example.com written to x.eml'])).toEqual([
      'SMTP_URL is unset: mail "Confirmed" to [EMAIL] written to x.eml',
    ]);
    const untouched = { context: 'X', n: 1 };
    expect(maskLogArguments([untouched])[0]).toBe(untouched);
  });

  it('masks emails in a serialized error', () => {
    expect(
      maskErrorEmails({ type: 'Error', message: '550 <bob@example.com> rejected', stack: 'Error: 550 <bob@example.com>\n at x' }),
    ).toEqual({ type: 'Error', message: '550 <[EMAIL]> rejected', stack: 'Error: 550 <[EMAIL]>\n at x' });
  });
});
