import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { sha256 } from '../../../shared/security/tokens.js';

/**
 * Invitee management tokens. A token is derived from the app secret and the invitee id, so it never needs to be
 * stored: the database keeps only its SHA-256 (for lookup), and emails can rebuild the links at any time.
 */
@Injectable()
export class ManagementTokens {
  constructor(private readonly config: AppConfig) {}

  tokenFor(inviteeId: string): string {
    return `mgt_${createHmac('sha256', this.config.appSecret).update(`booking-invitee:${inviteeId}`).digest('base64url')}`;
  }

  hashFor(inviteeId: string): string {
    return sha256(this.tokenFor(inviteeId));
  }

  hashOf(token: string): string {
    return sha256(token);
  }

  links(bookingId: string, inviteeId: string) {
    const token = encodeURIComponent(this.tokenFor(inviteeId));
    const base = `${this.config.publicUrl}/booking/${bookingId}`;
    return {
      token: this.tokenFor(inviteeId),
      manageUrl: `${base}?token=${token}`,
      cancelUrl: `${base}/cancel?token=${token}`,
      rescheduleUrl: `${base}/reschedule?token=${token}`,
    };
  }
}
