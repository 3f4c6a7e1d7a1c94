import { Global, Module } from '@nestjs/common';
import { MailTransport } from './mail-transport.js';

/** The one SMTP transport (or development outbox folder), shared by notify's deliveries and identity's account mails. */
@Global()
@Module({
  providers: [MailTransport],
  exports: [MailTransport],
})
export class MailModule {}
