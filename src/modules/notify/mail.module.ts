import { Module } from '@nestjs/common';
import { AccountMails } from './application/account-mails.js';
import { MailTransport } from './infrastructure/mail-transport.js';

/**
 * Notify's mail transport and account mails, without the booking notifications. Identity imports this one (its
 * PasswordResetMailer port) rather than NotifyModule: NotifyModule reads bookings, and booking depends on identity.
 */
@Module({
  providers: [MailTransport, AccountMails],
  exports: [MailTransport, AccountMails],
})
export class MailModule {}
