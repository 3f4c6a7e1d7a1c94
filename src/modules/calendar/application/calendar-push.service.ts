import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { safeEqual, sha256 } from '../../../shared/security/tokens.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import type { CalendarPushChannelEntity } from '../infrastructure/calendar-push-channel.entity.js';
import { CalendarPushChannelRepository } from '../infrastructure/calendar-push-channel.repository.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarCredentials } from './calendar-credentials.service.js';

const RENEW_BEFORE_MS = 24 * 3600_000;

/**
 * Push where providers offer it: Google watch channels (X-Goog-Channel-Token checked) and Graph subscriptions
 * (validationToken handshake, clientState checked). The secret is stored hashed. A verified notification only
 * triggers a sync (`onNotify`); polling stays the fallback. Enabled by CALENDAR_PUSH_ENABLED.
 */
@Injectable()
export class CalendarPush {
  private readonly logger = new Logger('CalendarPush');
  /** Set by the module: what a verified notification triggers (a sync of the connection). */
  onNotify: (integrationId: string) => Promise<unknown> = async () => undefined;

  constructor(
    private readonly channels: CalendarPushChannelRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly integrations: CalendarIntegrationRepository,
    private readonly credentials: CalendarCredentials,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Registers (or renews) a channel for every synced calendar of an OAuth connection. */
  async ensureChannels(integrationId: string): Promise<void> {
    if (!this.config.calendarPushEnabled) return;
    const integration = await this.integrations.findById(integrationId);
    if (!integration || integration.status !== 'active' || (integration.provider !== 'google' && integration.provider !== 'microsoft'))
      return;
    const adapter = this.credentials.oauthAdapter(integration.provider);
    const now = this.clock.now();
    const selections = (await this.selections.listOfConnection(integrationId)).filter((s) => s.isBusySource || s.isDestination);
    const existing = await this.channels.listOfConnection(integrationId);
    const token = await this.credentials.accessToken(integrationId);
    for (const selection of selections) {
      const current = existing.filter((c) => c.selectionId === selection.id);
      if (current.some((c) => c.expiresAt.getTime() - now.getTime() > RENEW_BEFORE_MS)) continue;
      const secret = randomBytes(24).toString('base64url');
      const address = `${this.config.publicUrl}/api/integrations/${integration.provider}/webhook`;
      const registration = await adapter.watch(token, selection.calendarId, address, secret, now);
      await this.channels.add({
        integrationId,
        selectionId: selection.id,
        provider: integration.provider,
        channelId: registration.channelId,
        resourceId: registration.resourceId,
        secretHash: sha256(secret),
        expiresAt: registration.expiresAt,
      });
      for (const old of current) await this.stop(integration.provider, token, old);
    }
    // Channels of calendars no longer synced.
    for (const c of existing.filter((c) => !selections.some((s) => s.id === c.selectionId)))
      await this.stop(integration.provider, token, c);
  }

  async stopChannels(integrationId: string): Promise<void> {
    const integration = await this.integrations.findById(integrationId);
    const channels = await this.channels.listOfConnection(integrationId);
    if (!integration || channels.length === 0) return;
    const token = await this.credentials.accessToken(integrationId).catch(() => null);
    for (const c of channels) {
      if (token) await this.stop(integration.provider, token, c);
      else await this.channels.delete(c.id);
    }
  }

  private async stop(provider: string, token: string, channel: CalendarPushChannelEntity) {
    await this.credentials
      .oauthAdapter(provider)
      .stopWatch(token, channel.channelId, channel.resourceId)
      .catch((error: unknown) => this.logger.warn(`stopping push channel ${channel.id} failed: ${(error as Error).message}`));
    await this.channels.delete(channel.id);
  }

  /** Channels that expire within a day are replaced (called by the poller). */
  async renewDue(): Promise<void> {
    if (!this.config.calendarPushEnabled) return;
    const due = await this.channels.listExpiringBefore(new Date(this.clock.now().getTime() + RENEW_BEFORE_MS));
    for (const integrationId of new Set(due.map((c) => c.integrationId))) {
      await this.ensureChannels(integrationId).catch((error: unknown) =>
        this.logger.warn(`renewing push for ${integrationId} failed: ${(error as Error).message}`),
      );
    }
  }

  /** A Google notification; false when the channel is unknown or the token does not match. */
  async googleNotification(channelId: string | undefined, token: string | undefined, state: string | undefined): Promise<boolean> {
    const channel = channelId ? await this.verified('google', channelId, token) : null;
    if (!channel) return false;
    if (state !== 'sync') this.trigger(channel.integrationId); // "sync" is the handshake sent when the channel opens
    return true;
  }

  /** Graph change notifications; returns how many were accepted. */
  async graphNotifications(items: Array<{ subscriptionId?: string; clientState?: string }>): Promise<number> {
    const integrations = new Set<string>();
    for (const item of items) {
      const channel = item.subscriptionId ? await this.verified('microsoft', item.subscriptionId, item.clientState) : null;
      if (channel) integrations.add(channel.integrationId);
    }
    for (const id of integrations) this.trigger(id);
    return integrations.size;
  }

  private async verified(provider: string, channelId: string, secret: string | undefined) {
    const channel = await this.channels.findByChannelId(provider, channelId);
    if (!channel || !secret || !safeEqual(sha256(secret), channel.secretHash)) return null;
    return channel;
  }

  private trigger(integrationId: string) {
    this.onNotify(integrationId).catch((error: unknown) => this.logger.warn(`push-triggered sync failed: ${(error as Error).message}`));
  }
}
