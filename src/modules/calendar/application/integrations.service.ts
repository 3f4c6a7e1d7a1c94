import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, invalid, notFound } from '../../../shared/http/domain-error.js';
import { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { EventsCacheRepository } from '../infrastructure/events-cache.repository.js';
import { CaldavAdapter, type CaldavDiscovery } from '../infrastructure/caldav.adapter.js';
import { IcsFeedAdapter } from '../infrastructure/ics-feed.adapter.js';
import type { RemoteCalendar } from '../infrastructure/provider-adapter.js';
import { ProviderError } from '../infrastructure/provider-http.js';
import { UnsafeUrlError, assertSafeUrlShape } from '../infrastructure/safe-http.js';
import { CalendarCredentials } from './calendar-credentials.service.js';
import { CalendarPush } from './calendar-push.service.js';
import { CalendarSources } from './calendar-sources.service.js';
import { CalendarSyncService } from './calendar-sync.service.js';
import { OAuthStateService } from './oauth-state.service.js';

export type OAuthProvider = 'google' | 'microsoft';

export interface CalendarChoice {
  calendar_id: string;
  is_busy_source?: boolean;
  is_destination?: boolean;
}

/** Connecting, listing, configuring and removing a host's calendar connections. Owner only; others see 404. */
@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger('CalendarIntegrations');

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(CalendarIntegrationEntity) private readonly integrations: Repository<CalendarIntegrationEntity>,
    @InjectRepository(CalendarSelectionEntity) private readonly selections: Repository<CalendarSelectionEntity>,
    private readonly credentials: CalendarCredentials,
    private readonly states: OAuthStateService,
    private readonly sync: CalendarSyncService,
    private readonly push: CalendarPush,
    private readonly ics: IcsFeedAdapter,
    private readonly caldav: CaldavAdapter,
    private readonly sources: CalendarSources,
    private readonly cache: EventsCacheRepository,
    private readonly versions: AvailabilityVersions,
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
      throw new DomainError('unprocessable', `${adapter.label} calendar is not configured on this server (set ${provider.toUpperCase()}_CLIENT_ID and ${provider.toUpperCase()}_CLIENT_SECRET)`);
    }
    return adapter.authorizationUrl(this.states.issue(userId, provider, returnTo), this.redirectUri(provider));
  }

  /** The OAuth callback: verifies the state, exchanges the code, stores (or reconnects) the connection, syncs. */
  async completeOAuth(provider: OAuthProvider, query: { code?: string; state?: string; error?: string }): Promise<CalendarIntegrationEntity> {
    const userId = await this.states.consume(query.state, provider);
    const adapter = this.credentials.oauthAdapter(provider);
    if (query.error) throw invalid(`${adapter.label} did not grant access: ${String(query.error).slice(0, 100)}`);
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
    const integration = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(CalendarIntegrationEntity);
      const existing = await repo.createQueryBuilder('i').addSelect('i.refreshTokenEnc')
        .where('i.user_id = :userId AND i.provider = :provider AND i.external_account_id = :account', { userId, provider, account: account.id })
        .setLock('pessimistic_write').getOne();
      const secrets = this.credentials.encryptTokens(tokens, existing?.refreshTokenEnc ?? null);
      const saved = await repo.save(repo.create({
        ...(existing ?? {}),
        userId, provider, externalAccountId: account.id, accountEmail: account.email,
        ...secrets, scopes: tokens.scope, status: 'active', lastError: null, lastErrorAt: null, nextSyncAt: null, isActive: true,
      }));
      await this.upsertCalendars(m.getRepository(CalendarSelectionEntity), saved, calendars);
      return saved;
    });
    await this.afterConnect(integration);
    return integration;
  }

  async connectIcs(userId: string, rawUrl: string): Promise<CalendarIntegrationEntity> {
    let url: URL;
    try {
      url = assertSafeUrlShape(rawUrl);
    } catch (error) {
      throw invalid(`url ${(error as Error).message}`);
    }
    const now = this.clock.now();
    try {
      // Validate before storing: reachable, not private, really iCalendar.
      await this.ics.fetch(url.toString(), { etag: null, lastModified: null, contentHash: null }, 'UTC', now, new Date(now.getTime() + 86_400_000));
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw invalid(`url is not allowed: ${error.message}`);
      throw invalid(`the feed could not be read: ${(error as Error).message}`);
    }
    const integration = await this.dataSource.transaction(async (m) => {
      const saved = await m.getRepository(CalendarIntegrationEntity).save(m.getRepository(CalendarIntegrationEntity).create({
        userId, provider: 'ics', serverUrl: url.toString(), accountEmail: null, status: 'active', isActive: true,
      }));
      await m.getRepository(CalendarSelectionEntity).save(m.getRepository(CalendarSelectionEntity).create({
        integrationId: saved.id, userId, calendarId: 'feed', name: url.hostname, isPrimary: true, readOnly: true, isBusySource: true,
      }));
      return saved;
    });
    await this.afterConnect(integration);
    return integration;
  }

  /**
   * Connects a CalDAV account (iCloud, Fastmail, Nextcloud…) with an app password: finds the principal and its
   * calendars before anything is stored (wrong credentials store nothing), keeps the password encrypted, lists the
   * calendars for the host to choose from, and syncs. Reconnecting the same account updates it.
   */
  async connectCaldav(userId: string, input: { serverUrl: string; username: string; password: string }): Promise<CalendarIntegrationEntity> {
    let url: URL;
    try {
      url = assertSafeUrlShape(input.serverUrl);
    } catch (error) {
      throw invalid(`server_url ${(error as Error).message}`);
    }
    let discovery: CaldavDiscovery;
    try {
      discovery = await this.caldav.discover({ serverUrl: url.toString(), username: input.username, password: input.password });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw invalid(`server_url is not allowed: ${error.message}`);
      throw invalid(`connecting to the CalDAV server failed: ${(error as Error).message}`);
    }
    if (discovery.calendars.length === 0) throw invalid('connecting to the CalDAV server failed: the account has no calendars that hold events');
    const store = () => this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(CalendarIntegrationEntity);
      const existing = await repo.createQueryBuilder('i')
        .where(`i.user_id = :userId AND i.provider = 'caldav' AND lower(i.external_account_id) = lower(:account)`, { userId, account: discovery.principalUrl })
        .setLock('pessimistic_write').getOne();
      const saved = await repo.save(repo.create({
        ...(existing ?? {}),
        userId, provider: 'caldav', serverUrl: url.toString(), username: input.username, externalAccountId: discovery.principalUrl,
        accountEmail: input.username.includes('@') ? input.username : null, passwordEnc: this.credentials.encrypt(input.password),
        status: 'active', lastError: null, lastErrorAt: null, nextSyncAt: null, isActive: true,
      }));
      await this.upsertCalendars(m.getRepository(CalendarSelectionEntity), saved, discovery.calendars);
      return saved;
    });
    // Two connects of the same account at once: the loser of the unique index finds the winner's row and updates it.
    const integration = await store().catch((error) => {
      if ((error as { code?: string }).code === '23505') return store();
      throw error;
    });
    await this.afterConnect(integration);
    return this.get(userId, integration.id); // without the ciphertext set above
  }

  private async afterConnect(integration: CalendarIntegrationEntity) {
    const outcome = await this.sync.syncIntegration(integration.id, { wait: true, full: true });
    if (outcome.status !== 'synced') this.logger.warn(`first sync of ${integration.provider} connection ${integration.id}: ${outcome.status}`);
    await this.push.ensureChannels(integration.id).catch((error) => this.logger.warn(`push setup failed: ${(error as Error).message}`));
  }

  /** New calendars appear unselected except the primary one, which blocks time and (if none yet) receives bookings. */
  private async upsertCalendars(repo: Repository<CalendarSelectionEntity>, integration: CalendarIntegrationEntity, calendars: RemoteCalendar[]) {
    const hasDestination = await repo.existsBy({ userId: integration.userId, isDestination: true });
    for (const c of calendars) {
      const existing = await repo.findOneBy({ integrationId: integration.id, calendarId: c.id });
      if (existing) {
        await repo.update({ id: existing.id }, { name: c.name.slice(0, 255), timeZone: c.timeZone, isPrimary: c.primary, readOnly: c.readOnly });
        continue;
      }
      await repo.save(repo.create({
        integrationId: integration.id, userId: integration.userId, calendarId: c.id, name: c.name.slice(0, 255),
        timeZone: c.timeZone, isPrimary: c.primary, readOnly: c.readOnly,
        isBusySource: c.primary, isDestination: c.primary && !c.readOnly && !hasDestination,
      }));
    }
  }

  list(userId: string): Promise<CalendarIntegrationEntity[]> {
    return this.integrations.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async get(userId: string, id: string): Promise<CalendarIntegrationEntity> {
    const integration = await this.integrations.findOneBy({ id, userId });
    if (!integration) throw notFound('integration');
    return integration;
  }

  async calendars(userId: string, id: string): Promise<CalendarSelectionEntity[]> {
    await this.get(userId, id);
    return this.selections.find({ where: { integrationId: id }, order: { isPrimary: 'DESC', name: 'ASC' } });
  }

  async updateSettings(userId: string, id: string, changes: { cancel_booking_on_delete?: boolean }) {
    const integration = await this.get(userId, id);
    if (changes.cancel_booking_on_delete !== undefined) integration.cancelBookingOnDelete = changes.cancel_booking_on_delete;
    return this.integrations.save(integration);
  }

  /** Chooses which calendars block availability and which one receives bookings (at most one per host). */
  async chooseCalendars(userId: string, id: string, choices: CalendarChoice[]): Promise<CalendarSelectionEntity[]> {
    const integration = await this.get(userId, id);
    const current = await this.selections.findBy({ integrationId: id });
    const byId = new Map(current.map((s) => [s.calendarId, s]));
    const unknown = choices.filter((c) => !byId.has(c.calendar_id)).map((c) => c.calendar_id);
    if (unknown.length) throw invalid(`calendar_id ${JSON.stringify(unknown[0])} is not a calendar of this connection`);
    const destinations = choices.filter((c) => c.is_destination);
    if (destinations.length > 1) throw invalid('only one calendar can receive new bookings (is_destination)');
    const dest = destinations[0] ? byId.get(destinations[0].calendar_id)! : null;
    if (dest?.readOnly) throw invalid(`calendar ${JSON.stringify(dest.name)} is read-only and cannot receive bookings`);
    if (dest && !this.sources.canWrite(integration.provider)) {
      throw invalid(`${integration.provider} calendars are read-only and cannot receive bookings`);
    }
    const dropped: string[] = [];
    await this.dataSource.transaction(async (m) => {
      if (dest) await m.update(CalendarSelectionEntity, { userId, isDestination: true }, { isDestination: false });
      for (const choice of choices) {
        const s = byId.get(choice.calendar_id)!;
        const patch: Partial<CalendarSelectionEntity> = {};
        if (choice.is_busy_source !== undefined) patch.isBusySource = choice.is_busy_source;
        if (choice.is_destination !== undefined) patch.isDestination = choice.is_destination;
        if (choice.is_busy_source === false && s.isBusySource) {
          dropped.push(s.calendarId);
          await this.cache.deleteCalendar(m, id, s.calendarId);
        }
        if (choice.is_busy_source === true && !s.isBusySource) patch.fullSyncedAt = null; // read it from scratch
        if (Object.keys(patch).length) await m.update(CalendarSelectionEntity, { id: s.id }, patch);
      }
    });
    if (dropped.length) await this.versions.bump([userId]);
    if (choices.some((c) => c.is_busy_source)) await this.sync.syncIntegration(id, { wait: true });
    await this.push.ensureChannels(id).catch(() => undefined);
    return this.calendars(userId, id);
  }

  /** Whether calendars of this kind of connection can receive bookings (Google, Microsoft and CalDAV; not ICS feeds). */
  canReceiveBookings(provider: string): boolean {
    return this.sources.canWrite(provider);
  }

  /** Every calendar of the host's connections that can receive bookings, connection by connection. */
  async writableCalendars(userId: string): Promise<Array<{ integration: CalendarIntegrationEntity; calendar: CalendarSelectionEntity }>> {
    const integrations = (await this.list(userId)).filter((i) => this.sources.canWrite(i.provider));
    if (integrations.length === 0) return [];
    const calendars = await this.selections.find({
      where: { integrationId: In(integrations.map((i) => i.id)), readOnly: false },
      order: { isPrimary: 'DESC', name: 'ASC' },
    });
    return integrations.flatMap((integration) => calendars.filter((c) => c.integrationId === integration.id).map((calendar) => ({ integration, calendar })));
  }

  /** The calendar this host's bookings of the meeting type go to, or null when the host's default destination applies. */
  async meetingTypeDestination(userId: string, meetingTypeId: string): Promise<CalendarSelectionEntity | null> {
    await this.assertMeetingTypeVisible(userId, meetingTypeId);
    const [override] = await this.dataSource.query(
      `SELECT selection_id FROM calendar_destination_overrides WHERE meeting_type_id = $1 AND user_id = $2`,
      [meetingTypeId, userId],
    );
    return override ? this.selections.findOneBy({ id: override.selection_id }) : null;
  }

  /** Per meeting type: the calendar that receives its bookings for this host (null clears the override). */
  async setMeetingTypeDestination(userId: string, meetingTypeId: string, choice: { integration_id: string; calendar_id: string } | null) {
    await this.assertMeetingTypeVisible(userId, meetingTypeId);
    if (!choice) {
      await this.dataSource.query(`DELETE FROM calendar_destination_overrides WHERE meeting_type_id = $1 AND user_id = $2`, [meetingTypeId, userId]);
      return null;
    }
    const integration = await this.get(userId, choice.integration_id);
    const selection = await this.selections.findOneBy({ integrationId: choice.integration_id, calendarId: choice.calendar_id });
    if (!selection) throw invalid('calendar_id is not a calendar of this connection');
    if (selection.readOnly || !this.sources.canWrite(integration.provider)) throw invalid('that calendar is read-only and cannot receive bookings');
    await this.dataSource.query(
      `INSERT INTO calendar_destination_overrides (meeting_type_id, user_id, selection_id) VALUES ($1, $2, $3)
       ON CONFLICT (meeting_type_id, user_id) DO UPDATE SET selection_id = EXCLUDED.selection_id`,
      [meetingTypeId, userId, selection.id],
    );
    return selection;
  }

  /** The owner of the meeting type or one of its hosts; anyone else gets 404. */
  private async assertMeetingTypeVisible(userId: string, meetingTypeId: string): Promise<void> {
    const [visible] = await this.dataSource.query(
      `SELECT 1 FROM meeting_types mt WHERE mt.id = $1
          AND (mt.user_id = $2 OR EXISTS (SELECT 1 FROM meeting_type_hosts h WHERE h.meeting_type_id = mt.id AND h.user_id = $2))`,
      [meetingTypeId, userId],
    );
    if (!visible) throw notFound('meeting type');
  }

  async remove(userId: string, id: string): Promise<void> {
    const integration = await this.get(userId, id);
    await this.push.stopChannels(integration.id).catch(() => undefined);
    await this.integrations.delete({ id }); // cascades to selections, cached events, channels
    await this.versions.bump([userId]);
  }

  async syncNow(userId: string, id: string) {
    const integration = await this.get(userId, id);
    if (integration.status === 'broken') throw new DomainError('conflict', `this connection is broken: ${integration.lastError ?? 'reconnect it'}`);
    const outcome = await this.sync.syncIntegration(id, { wait: true });
    return { outcome, integration: await this.get(userId, id) };
  }
}
