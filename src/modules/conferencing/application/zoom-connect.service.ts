import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, invalid, notFound } from '../../../shared/http/domain-error.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import { CredentialLimiter } from '../../../shared/throttling/credential-limiter.js';
import { OAuthStateService } from '../../calendar/application/oauth-state.service.js';
import { ZoomAdapter } from '../infrastructure/zoom.adapter.js';
import { type ZoomConnection, ZoomConnectionRepository } from '../infrastructure/zoom-connection.repository.js';
import { ZoomRequestError, ZoomUnavailableError } from '../infrastructure/zoom-http.js';

export type { ZoomConnection } from '../infrastructure/zoom-connection.repository.js';

/** Connecting a host's Zoom account (OAuth code flow), showing and removing it. */
@Injectable()
export class ZoomConnect {
  constructor(
    private readonly zoom: ZoomAdapter,
    private readonly connections: ZoomConnectionRepository,
    private readonly states: OAuthStateService,
    private readonly cipher: SecretCipher,
    private readonly limiter: CredentialLimiter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private get redirectUri() {
    return `${this.config.publicUrl}/api/conferencing/zoom/callback`;
  }

  /** Whether this server has Zoom credentials (the admin offers "Connect Zoom" only then). */
  isConfigured(): boolean {
    return this.zoom.isConfigured();
  }

  authorizationUrl(userId: string): string {
    if (!this.zoom.isConfigured())
      throw new DomainError('unprocessable', 'Zoom is not configured on this server (ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)');
    return this.zoom.authorizationUrl(this.states.issue(userId, 'zoom'), this.redirectUri);
  }

  /**
   * The OAuth callback: the signed state says whose connection this is. Failed code exchanges count against the
   * client address like any other credential check (429 once too many), so codes cannot be tried in bulk.
   */
  async complete(q: { code?: string; state?: string; error?: string }, address: string | null): Promise<ZoomConnection> {
    await this.limiter.assertOpen({ address });
    let userId: string;
    try {
      userId = await this.states.consume(q.state, 'zoom');
    } catch (error) {
      await this.limiter.recordFailure({ address });
      throw error;
    }
    if (q.error) throw invalid(`Zoom did not grant access: ${q.error}`);
    if (!q.code) throw invalid('the Zoom callback carries no code');
    try {
      const now = this.clock.now();
      const tokens = await this.zoom.exchangeCode(q.code, this.redirectUri, now);
      const account = await this.zoom.account(tokens.accessToken);
      return await this.connections.upsert({
        userId,
        accountId: account.id,
        accountEmail: account.email,
        accessTokenEnc: this.cipher.encrypt(tokens.accessToken),
        refreshTokenEnc: tokens.refreshToken ? this.cipher.encrypt(tokens.refreshToken) : null,
        tokenExpiresAt: tokens.expiresAt,
      });
    } catch (error) {
      if (error instanceof ZoomRequestError) {
        await this.limiter.recordFailure({ address, account: userId });
        throw invalid(`Zoom refused the authorization code: ${error.message}`);
      }
      if (error instanceof ZoomUnavailableError)
        throw new DomainError('unprocessable', `Zoom is unavailable, try again later: ${error.message}`);
      throw error;
    }
  }

  get(userId: string): Promise<ZoomConnection | null> {
    return this.connections.findOfUser(userId);
  }

  async disconnect(userId: string): Promise<void> {
    if (!(await this.connections.deleteOfUser(userId))) throw notFound('Zoom connection');
  }

  /** For meeting types: the hosts among these without a working Zoom connection. */
  async lacking(hostIds: string[]): Promise<string[]> {
    const connected = await this.connections.countActiveOf(hostIds);
    return hostIds.filter((id) => !connected.has(id));
  }
}
