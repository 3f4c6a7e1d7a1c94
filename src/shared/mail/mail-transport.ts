import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config.js';

export interface OutgoingMail {
  /** The delivery id: becomes the Message-ID, so a duplicate (should one ever happen) is recognisable. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  ics?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/**
 * Sends mail over SMTP_URL with nodemailer; without it (development) renders the same MIME message to
 * `${DATA_DIR}/outbox-mail/<delivery id>.eml` and logs one line (recipient and subject, never links or tokens).
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: AppConfig) {
    this.toFiles = !config.smtpUrl;
    // Short timeouts: a retry is cheap, a worker stuck on a dead server is not.
    this.transport = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const message = {
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.id}@kairos.mail>`,
      headers: { 'X-Kairos-Delivery-Id': mail.id },
      // The invitation exactly once, as iMIP wants it (RFC 6047: text/calendar with the iTIP method). Not also
      // nodemailer's icalEvent: that adds a second copy as invite.ics without method=, which clients import apart.
      ...(mail.ics
        ? {
            attachments: [
              {
                filename: mail.ics.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
                content: mail.ics.content,
                contentType: `text/calendar; charset=utf-8; method=${mail.ics.method}`,
              },
            ],
          }
        : {}),
    };
    const info = await this.transport.sendMail(message);
    if (this.toFiles) {
      const dir = join(this.config.dataDir, 'outbox-mail');
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${mail.id}.eml`);
      await writeFile(file, (info as unknown as { message: Buffer }).message);
      // No recipient in the log: invitee emails stay out of info-level logs (the file itself holds the message).
      this.logger.log(`SMTP_URL is unset: mail ${mail.id} written to ${file}`);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
