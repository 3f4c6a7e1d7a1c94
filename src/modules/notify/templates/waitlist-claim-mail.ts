import { formatClockIn, formatLongDateIn } from '../../../shared/i18n/format.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';
import { DEFAULT_LOCALE, matchLocale } from '../../../shared/i18n/locales.js';
import { isIanaTimeZone } from '../../../shared/validation/time-zone-name.js';
import type { WaitlistEventPayload } from '../../booking/domain/waitlist.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** "Tuesday, 2 March 2027, 19:00 (Asia/Tokyo)" in the invitee's language and zone ("10:00 UTC" without a zone). */
function whenIn(iso: string, locale: string, timeZone: string | null): string {
  const at = Date.parse(iso);
  const zone = timeZone ?? 'UTC';
  const clock = formatClockIn(at, zone, false, locale);
  return `${formatLongDateIn(at, zone, locale)}, ${timeZone ? `${clock} (${timeZone})` : `${clock} UTC`}`;
}

/**
 * The claim mail, plain text and HTML, in the language the invitee joined the line in (`payload.locale`; events
 * written before it was stored, and unknown tags, read as English).
 */
export function renderWaitlistClaim(p: WaitlistEventPayload, claimUrl: string): { subject: string; text: string; html: string } {
  const locale = matchLocale(p.locale) ?? DEFAULT_LOCALE;
  const t = translatorFor(locale);
  const zone = p.time_zone && isIanaTimeZone(p.time_zone) ? p.time_zone : null;
  const when = whenIn(p.start_time, locale, zone);
  const until = p.claim_expires_at ? whenIn(p.claim_expires_at, locale, zone) : t('email.waitlistClaim.soon');
  const opened = (type: string, at: string, by: string) => t('email.waitlistClaim.opened', { type, when: at, until: by });
  // The type's name is bold in HTML: placeholders through the message, escaped, then swapped for the marked-up name.
  const marker = '\u0000type\u0000';
  const openedHtml = esc(opened(marker, when, until)).replace(marker, `<strong>${esc(p.meeting_type_name)}</strong>`);
  const text = [
    t('email.waitlistClaim.greeting', { name: p.name }),
    '',
    opened(p.meeting_type_name, when, until),
    t('email.waitlistClaim.bookHere'),
    claimUrl,
    '',
    t('email.waitlistClaim.noAction'),
  ].join('\n');
  const html =
    `<p>${esc(t('email.waitlistClaim.greeting', { name: p.name }))}</p><p>${openedHtml}</p>` +
    `<p><a href="${esc(claimUrl)}">${esc(t('email.waitlistClaim.book'))}</a></p>` +
    `<p>${esc(t('email.waitlistClaim.noAction'))}</p>`;
  return { subject: t('email.waitlistClaim.subject', { type: p.meeting_type_name }), text, html };
}
