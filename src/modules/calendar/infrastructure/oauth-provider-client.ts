import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { OutboundHttp } from '../../../shared/outbound/outbound-http.js';
import type { TokenSet } from './provider-adapter.js';
import { defaultRetryPolicy, endpointHosts, type ProviderTransport, requestOAuthTokens, type RetryPolicy } from './provider-http.js';

/** An OAuth provider's app settings (AppConfig.google, AppConfig.microsoft). */
export interface OAuthProviderSettings {
  clientId: string;
  clientSecret: string;
  authUrl: string;
  tokenUrl: string;
  apiUrl: string;
}

/**
 * What the Google and Microsoft calendar adapters share: their app's settings, a transport pinned to the provider's
 * own API and token hosts (every call goes through the outbound policy), and the token endpoint (code exchange and
 * refresh, RFC 6749 §4.1.3 and §6). Each adapter names its settings and builds its own authorization URL.
 */
@Injectable()
export abstract class OAuthProviderClient {
  abstract readonly label: string;
  retryPolicy: RetryPolicy = defaultRetryPolicy;

  constructor(
    protected readonly config: AppConfig,
    protected readonly outbound: OutboundHttp,
  ) {}

  protected abstract get cfg(): OAuthProviderSettings;

  /** Form fields the provider's token endpoint wants besides the grant (Microsoft asks for the scopes again). */
  protected tokenForm(): Record<string, string> {
    return {};
  }

  protected get http(): ProviderTransport {
    return { http: this.outbound, allow: endpointHosts(this.cfg.apiUrl, this.cfg.tokenUrl) };
  }

  isConfigured() {
    return Boolean(this.cfg.clientId && this.cfg.clientSecret);
  }

  exchangeCode(code: string, redirectUri: string, now: Date) {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, now);
  }

  refresh(refreshToken: string, now: Date) {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, now);
  }

  private token(form: Record<string, string>, now: Date): Promise<TokenSet> {
    const { tokenUrl, clientId, clientSecret } = this.cfg;
    const client = { label: this.label, tokenUrl, clientId, clientSecret, extraForm: this.tokenForm() };
    return requestOAuthTokens(this.http, client, form, now, this.retryPolicy);
  }
}
