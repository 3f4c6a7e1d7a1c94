import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MailTransport } from '../../../shared/mail/mail-transport.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Account mails (password reset) over the shared mail transport. Not a booking
 * delivery: no outbox row, no retries; a lost reset mail is requested again. Sending never throws to the caller and
 * logs no link (the link is a credential).
 */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger('AccountMails');

  constructor(private readonly transport: MailTransport) {}

  async sendEmailVerification(to: { email: string; name: string }, link: string, validHours: number): Promise<void> {
    const text = [
      `Hello ${to.name},`,
      '',
      `Please confirm that this is your address for your Kairos account. The link below works once, for ${validHours} hours:`,
      link,
      '',
      'If you did not sign up for Kairos, ignore this mail.',
    ].join('\n');
    const html =
      `<p>Hello ${esc(to.name)},</p><p>Please confirm that this is your address for your Kairos account. ` +
      `The link below works once, for ${validHours} hours:</p><p><a href="${esc(link)}">Verify my email address</a></p>` +
      '<p>If you did not sign up for Kairos, ignore this mail.</p>';
    try {
      await this.transport.send({ id: randomUUID(), to: to.email, subject: 'Verify your email for Kairos', text, html });
    } catch (error) {
      this.logger.warn(`verification mail was not sent: ${(error as Error).message}`);
    }
  }

  async sendPasswordReset(to: { email: string; name: string }, link: string, validMinutes: number): Promise<void> {
    const text = [
      `Hello ${to.name},`,
      '',
      `Someone (hopefully you) asked to reset the password of your Kairos account. The link below works once, for ${validMinutes} minutes:`,
      link,
      '',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n');
    const html =
      `<p>Hello ${esc(to.name)},</p><p>Someone (hopefully you) asked to reset the password of your Kairos account. ` +
      `The link below works once, for ${validMinutes} minutes:</p><p><a href="${esc(link)}">Choose a new password</a></p>` +
      '<p>If you did not ask for this, ignore this mail: your password stays as it is.</p>';
    try {
      await this.transport.send({ id: randomUUID(), to: to.email, subject: 'Reset your Kairos password', text, html });
    } catch (error) {
      this.logger.warn(`password reset mail was not sent: ${(error as Error).message}`);
    }
  }
}
