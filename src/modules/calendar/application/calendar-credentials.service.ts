import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { type CalendarTx, CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import { GoogleCalendarAdapter } from '../infrastructure/google-calendar.adapter.js';
import { MicrosoftGraphAdapter } from '../infrastructure/microsoft-graph.adapter.js';
import type { OAuthCalendarAdapter, TokenSet } from '../infrastructure/provider-adapter.js';
import { InvalidGrantError } from '../infrastructure/provider-http.js';

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class ConnectionBrokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionBrokenError';
  }
}

/**
 * Access tokens, refresh tokens and passwords: encrypted at rest, decrypted only here, never logged. Refreshes under a
 * row lock so two replicas do not both spend a refresh token; a revoked grant marks the connection broken.
 */
@Injectable()
export class CalendarCredentials {
  private readonly logger = new Logger('CalendarCredentials');

  constructor(
    private readonly integrations: CalendarIntegrationRepository,
    private readonly transactions: CalendarTransactions,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
    private readonly google: GoogleCalendarAdapter,
    private readonly microsoft: MicrosoftGraphAdapter,
  ) {}

  oauthAdapter(provider: string): OAuthCalendarAdapter {
    if (provider === 'google') return this.google;
    if (provider === 'microsoft') return this.microsoft;
    throw new Error(`${provider} is not an OAuth provider`);
  }

  encryptTokens(tokens: TokenSet, previousRefreshEnc: string | null = null) {
    return {
      accessTokenEnc: this.cipher.encrypt(tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken ? this.cipher.encrypt(tokens.refreshToken) : previousRefreshEnc,
      tokenExpiresAt: tokens.expiresAt,
    };
  }

  encrypt(secret: string) {
    return this.cipher.encrypt(secret);
  }

  async password(integrationId: string): Promise<string | null> {
    const passwordEnc = await this.integrations.findEncryptedPassword(integrationId);
    return passwordEnc ? this.cipher.decrypt(passwordEnc) : null;
  }

  /**
   * A valid access token for an OAuth connection, refreshed first when it is about to expire, or when the provider
   * just answered 401 to `rejected` (revoked or expired early) and no one has replaced it since.
   */
  async accessToken(integrationId: string, rejected?: string): Promise<string> {
    const now = this.clock.now();
    const current = await this.integrations.findWithTokens(integrationId);
    if (!current) throw new ConnectionBrokenError('the connection no longer exists');
    if (current.status === 'broken') throw new ConnectionBrokenError(current.lastError ?? 'the connection is broken: reconnect it');
    const usable = (enc: string) => rejected === undefined || this.cipher.decrypt(enc) !== rejected;
    if (
      current.accessTokenEnc &&
      current.tokenExpiresAt &&
      current.tokenExpiresAt.getTime() - now.getTime() > REFRESH_MARGIN_MS &&
      usable(current.accessTokenEnc)
    ) {
      return this.cipher.decrypt(current.accessTokenEnc);
    }
    const result = await this.transactions.run(async (tx): Promise<{ token: string } | { broken: string }> => {
      const locked = await this.integrations.lockWithTokens(tx, integrationId);
      if (!locked) return { broken: 'the connection no longer exists' };
      // Another replica may have refreshed while we waited for the lock.
      if (
        locked.accessTokenEnc &&
        locked.tokenExpiresAt &&
        locked.tokenExpiresAt.getTime() - now.getTime() > REFRESH_MARGIN_MS &&
        usable(locked.accessTokenEnc)
      ) {
        return { token: this.cipher.decrypt(locked.accessTokenEnc) };
      }
      const adapter = this.oauthAdapter(locked.provider);
      if (!locked.refreshTokenEnc) {
        return {
          broken: await this.markBroken(
            tx,
            locked.id,
            `${adapter.label} did not grant offline access (no refresh token): reconnect this calendar`,
          ),
        };
      }
      let tokens: TokenSet;
      try {
        tokens = await adapter.refresh(this.cipher.decrypt(locked.refreshTokenEnc), now);
      } catch (error) {
        // Committed with the transaction (not rolled back by a throw): the host must see why.
        if (error instanceof InvalidGrantError) return { broken: await this.markBroken(tx, locked.id, error.message) };
        throw error;
      }
      await this.integrations.saveTokens(tx, locked.id, this.encryptTokens(tokens, locked.refreshTokenEnc));
      this.logger.log(`refreshed ${locked.provider} access token for connection ${locked.id}`);
      return { token: tokens.accessToken };
    });
    if ('broken' in result) throw new ConnectionBrokenError(result.broken);
    return result.token;
  }

  /** Marks a connection broken (credentials refused for good); returns the message for the caller to raise. */
  breakConnection(id: string, message: string): Promise<string> {
    return this.markBroken(undefined, id, message);
  }

  private async markBroken(tx: CalendarTx | undefined, id: string, message: string): Promise<string> {
    this.logger.warn(`calendar connection ${id} is broken: ${message}`);
    await this.integrations.markBroken(id, message, this.clock.now(), tx);
    return message;
  }
}
