import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import type { Conference } from '../../booking/domain/conference.js';
import { ZoomAdapter, ZoomGrantRevokedError, type ZoomMeetingInput } from '../infrastructure/zoom.adapter.js';
import { type ZoomConnection, ZoomConnectionRepository } from '../infrastructure/zoom-connection.repository.js';
import { ZoomRequestError, ZoomTokenRejectedError } from '../infrastructure/zoom-http.js';

/** Refresh a little before the expiry Zoom announced, so a token does not die in flight. */
const EXPIRY_MARGIN_MS = 60_000;

/** Nothing a retry would change: no connection, a revoked one, or a request Zoom refuses. */
export class ZoomRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZoomRefusedError';
  }
}

export interface BookingMeetingInput extends ZoomMeetingInput {
  /** Written into the agenda: how a retry finds the meeting a lost answer made. */
  marker: string;
}

/**
 * Zoom meetings in a host's account: fresh access tokens (refreshed before expiry, and once more when Zoom answers
 * 401), the connection marked broken when the grant is revoked. Transient failures (5xx, rate limits, network)
 * surface as ZoomUnavailableError for the caller to retry; permanent ones as ZoomRefusedError.
 */
@Injectable()
export class ZoomMeetings {
  constructor(
    private readonly zoom: ZoomAdapter,
    private readonly connections: ZoomConnectionRepository,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  async create(hostId: string, m: BookingMeetingInput): Promise<Conference> {
    const made = await this.withToken(
      hostId,
      async (token) => (await this.zoom.findMeeting(token, m.marker)) ?? this.zoom.createMeeting(token, m),
    );
    return { provider: 'zoom', joinUrl: made.joinUrl, meetingId: made.meetingId };
  }

  async update(hostId: string, meetingId: string, m: BookingMeetingInput): Promise<void> {
    await this.withToken(hostId, (token) => this.zoom.updateMeeting(token, meetingId, m));
  }

  async remove(hostId: string, meetingId: string): Promise<void> {
    await this.withToken(hostId, (token) => this.zoom.deleteMeeting(token, meetingId));
  }

  private async withToken<T>(hostId: string, work: (accessToken: string) => Promise<T>): Promise<T> {
    const connection = await this.connections.findOfUser(hostId);
    if (!connection) throw new ZoomRefusedError('the host has no Zoom connection');
    if (connection.status === 'broken') throw new ZoomRefusedError(connection.lastError ?? 'the Zoom connection is broken');
    try {
      const fresh = connection.tokenExpiresAt.getTime() - EXPIRY_MARGIN_MS > this.clock.now().getTime();
      const token = fresh ? this.cipher.decrypt(connection.accessTokenEnc) : await this.refresh(connection);
      try {
        return await work(token);
      } catch (error) {
        if (!(error instanceof ZoomTokenRejectedError)) throw error;
        // Revoked or expired early: one refresh, one more try.
        return await work(await this.refresh(connection));
      }
    } catch (error) {
      if (error instanceof ZoomRequestError) throw new ZoomRefusedError(error.message);
      if (error instanceof ZoomTokenRejectedError) throw new ZoomRefusedError('Zoom rejected a freshly refreshed token');
      throw error;
    }
  }

  private async refresh(connection: ZoomConnection): Promise<string> {
    if (!connection.refreshTokenEnc) return this.broken(connection, 'Zoom gave no refresh token: connect Zoom again');
    try {
      const tokens = await this.zoom.refresh(this.cipher.decrypt(connection.refreshTokenEnc), this.clock.now());
      await this.connections.saveTokens(
        connection.id,
        this.cipher.encrypt(tokens.accessToken),
        tokens.refreshToken ? this.cipher.encrypt(tokens.refreshToken) : null,
        tokens.expiresAt,
      );
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof ZoomGrantRevokedError) return this.broken(connection, error.message);
      throw error;
    }
  }

  private async broken(connection: ZoomConnection, message: string): Promise<never> {
    await this.connections.markBroken(connection.id, message);
    throw new ZoomRefusedError(message);
  }
}
