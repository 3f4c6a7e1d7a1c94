import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, invalid } from '../../../shared/http/domain-error.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import type { RemoteCalendar } from '../infrastructure/provider-adapter.js';
import { ProviderError } from '../infrastructure/provider-http.js';
import { CalendarCredentials } from './calendar-credentials.service.js';
import { type CalendarConnectionView, type OAuthProvider, toConnectionView } from './calendar-views.js';
import { ConnectionFirstSync } from './connection-first-sync.service.js';
import { OAuthStateService } from './oauth-state.service.js';

/** Connecting Google or Microsoft 365: the consent URL, then the callback that stores (or reconnects) the account. */
@Injectable()
export class OAuthConnect {
  constructor(
    private readonly credentials: CalendarCredentials,
    private readonly states: OAuthStateService,
    private readonly integrations: CalendarIntegrationRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly transactions: CalendarTransactions,
    private readonly firstSync: ConnectionFirstSync,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  redirectUri(provider: OAuthProvider) {
    return `${this.config.publicUrl}/api/integrations/${provider}/callback`;
  }

  /** `returnTo`: an /admin page the callback sends the browser back to (the admin starts here); API callers omit it. */
  authorizationUrl(userId: string, provider: OAuthProvider, returnTo?: string): string {
    const adapter = this.credentials.oauthAdapter(provider);
    if (!adapter.isConfigured()) {
      throw new DomainError(
        'unprocessable',
        `${adapter.label} calendar is not configured on this server (set ${provider.toUpperCase()}_CLIENT_ID and ${provider.toUpperCase()}_CLIENT_SECRET)`,
      );
    }
    return adapter.authorizationUrl(this.states.issue(userId, provider, returnTo), this.redirectUri(provider));
  }

  /** The OAuth callback: verifies the state, exchanges the code, stores (or reconnects) the connection, syncs. */
  async completeOAuth(provider: OAuthProvider, query: { code?: string; state?: string; error?: string }): Promise<CalendarConnectionView> {
    const userId = await this.states.consume(query.state, provider);
    const adapter = this.credentials.oauthAdapter(provider);
    if (query.error) throw invalid(`${adapter.label} did not grant access: ${query.error.slice(0, 100)}`);
    if (!query.code) throw invalid('code is missing from the OAuth callback');
    const now = this.clock.now();
    let tokens;
    let account;
    let calendars: RemoteCalendar[];
    try {
      tokens = await adapter.exchangeCode(query.code, this.redirectUri(provider), now);
      account = await adapter.account(tokens.accessToken);
      calendars = await adapter.listCalendars(tokens.accessToken);
    } catch (error) {
      if (error instanceof ProviderError || (error instanceof Error && error.name === 'InvalidGrantError')) {
        throw invalid(`connecting ${adapter.label} failed: ${error.message}`);
      }
      throw error;
    }
    const integration = await this.transactions.run(async (tx) => {
      const existing = await this.integrations.lockOAuthAccount(tx, userId, provider, account.id);
      // A reconnect that grants no new refresh token keeps the one stored.
      const secrets = this.credentials.encryptTokens(tokens, existing?.refreshTokenEnc ?? null);
      const saved = await this.integrations.store(tx, existing, {
        userId,
        provider,
        externalAccountId: account.id,
        accountEmail: account.email,
        ...secrets,
        scopes: tokens.scope,
        status: 'active',
        lastError: null,
        lastErrorAt: null,
        nextSyncAt: null,
        isActive: true,
      });
      await this.selections.upsertListed(tx, saved, calendars);
      return saved;
    });
    await this.firstSync.run(integration);
    return toConnectionView(integration);
  }
}
