import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UsersService } from '../../identity/application/users.service.js';
import type { AuthenticatedUser } from '../../../shared/http/authentication.js';
import { type WebRequest, WebSessions } from './web-session.js';
import type { PageContext } from './web-views.js';

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
}

/** What every signed-in admin page shares: the layout's navigation, the CSRF token and who is signed in. */
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
    title: string,
    section: AdminSection,
  ): Promise<AdminPageContext> {
    const user = await this.users.getById(caller.id);
    const csrf = this.sessions.csrfToken(req, res);
    return {
      title,
      csrf,
      admin: { username: user.username, csrf, section, ...(user.emailVerified ? {} : { unverifiedEmail: user.email }) },
      me: { name: user.name, username: user.username, zone: user.timeZone },
    };
  }
}
