import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UsersService } from '../../identity/application/users.service.js';
import type { AuthenticatedUser } from '../../../shared/http/authentication.js';
import { type WebRequest, WebSessions } from './web-session.js';
import type { PageContext } from './web-views.js';
import { prefers12Hour } from '../../../shared/i18n/format.js';
import { translatorFor, type Translate } from '../../../shared/i18n/i18n.js';
import { DEFAULT_LOCALE, matchLocale, type Locale } from '../../../shared/i18n/locales.js';

export type AdminSection =
  | 'bookings'
  | 'types'
  | 'availability'
  | 'time-off'
  | 'limits'
  | 'calendars'
  | 'teams'
  | 'webhooks'
  | 'profile'
  | 'keys'
  | 'booking-list'
  | 'welcome'
  | 'insights';

export interface AdminPageContext extends PageContext {
  csrf: string;
  /** `unverifiedEmail`: the address still to verify, for the layout's banner (absent once verified). */
  admin: { username: string; csrf: string; section: AdminSection; unverifiedEmail?: string };
  me: { name: string; username: string; zone: string };
  /** The host's chosen language (PATCH /api/users/me {locale}): what the `t` helper and the layout read. */
  i18n: { locale: Locale; formatLocale: string; keepLang: null; picker: null };
  /** The same language for the controller's own strings and dates. */
  loc: AdminLocale;
}

/** The admin's language: the host's own choice, never negotiated (the admin has no picker: the profile sets it). */
export interface AdminLocale {
  locale: Locale;
  /** The tag dates and times are formatted with: en-GB for English (24-hour, as before), else the language. */
  formatLocale: string;
  h12Default: boolean;
  t: Translate;
}

export function adminLocale(chosen: string | null | undefined): AdminLocale {
  const locale = matchLocale(chosen) ?? DEFAULT_LOCALE;
  const formatLocale = locale === 'en' ? 'en-GB' : locale;
  return { locale, formatLocale, h12Default: prefers12Hour(formatLocale), t: translatorFor(locale) };
}

/** What every signed-in admin page shares: the layout's navigation, the CSRF token, who is signed in and their language. */
@Injectable()
export class AdminPages {
  constructor(
    private readonly sessions: WebSessions,
    private readonly users: UsersService,
  ) {}

  async context(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    title: string | ((t: Translate) => string),
    section: AdminSection,
  ): Promise<AdminPageContext> {
    const user = await this.users.getById(caller.id);
    const csrf = this.sessions.csrfToken(req, res);
    const loc = adminLocale(user.locale);
    return {
      title: typeof title === 'string' ? title : title(loc.t),
      csrf,
      admin: { username: user.username, csrf, section, ...(user.emailVerified ? {} : { unverifiedEmail: user.email }) },
      me: { name: user.name, username: user.username, zone: user.timeZone },
      i18n: { locale: loc.locale, formatLocale: loc.formatLocale, keepLang: null, picker: null },
      loc,
    };
  }
}
