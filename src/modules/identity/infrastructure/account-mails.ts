import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MailTransport } from '../../../shared/mail/mail-transport.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';
import { DEFAULT_LOCALE, matchLocale } from '../../../shared/i18n/locales.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Who an account mail goes to; `locale`: the host's chosen language (users.locale), English when absent. */
export interface AccountMailRecipient {
  email: string;
  name: string;
  locale?: string | null;
}

/** The recipient's language, and the link carrying it (`lang=`) so the page it opens speaks it too (English links as before). */
function languageOf(to: AccountMailRecipient, link: string) {
  const locale = matchLocale(to.locale) ?? DEFAULT_LOCALE;
  const linked = locale === DEFAULT_LOCALE ? link : `${link}${link.includes('?') ? '&' : '?'}lang=${encodeURIComponent(locale)}`;
  return { t: translatorFor(locale), link: linked };
}

/**
 * Account mails (password reset, email verification) over the shared mail transport, in the host's language. Not a
 * booking delivery: no outbox row, no retries; a lost reset mail is requested again. Sending never throws to the
 * caller and logs no link (the link is a credential).
 */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger('AccountMails');

  constructor(private readonly transport: MailTransport) {}

  async sendEmailVerification(to: AccountMailRecipient, rawLink: string, validHours: number): Promise<void> {
    const { t, link } = languageOf(to, rawLink);
    const hello = t('admin.account.mail.hello', { name: to.name });
    const body = t('admin.account.mail.verifyText', { hours: validHours });
    const ignore = t('admin.account.mail.verifyIgnore');
    const text = [hello, '', body, link, '', ignore].join('\n');
    const html =
      `<p>${esc(hello)}</p><p>${esc(body)}</p><p><a href="${esc(link)}">${esc(t('admin.account.mail.verifyButton'))}</a></p>` +
      `<p>${esc(ignore)}</p>`;
    try {
      await this.transport.send({ id: randomUUID(), to: to.email, subject: t('admin.account.mail.verifySubject'), text, html });
    } catch (error) {
      this.logger.warn(`verification mail was not sent: ${(error as Error).message}`);
    }
  }

  async sendPasswordReset(to: AccountMailRecipient, rawLink: string, validMinutes: number): Promise<void> {
    const { t, link } = languageOf(to, rawLink);
    const hello = t('admin.account.mail.hello', { name: to.name });
    const body = t('admin.account.mail.resetText', { minutes: validMinutes });
    const ignore = t('admin.account.mail.resetIgnore');
    const text = [hello, '', body, link, '', ignore].join('\n');
    const html =
      `<p>${esc(hello)}</p><p>${esc(body)}</p><p><a href="${esc(link)}">${esc(t('admin.account.mail.resetButton'))}</a></p>` +
      `<p>${esc(ignore)}</p>`;
    try {
      await this.transport.send({ id: randomUUID(), to: to.email, subject: t('admin.account.mail.resetSubject'), text, html });
    } catch (error) {
      this.logger.warn(`password reset mail was not sent: ${(error as Error).message}`);
    }
  }
}
