import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type IcsEventContent, renderIcsCalendar } from '../../notify/application/ics.service.js';
import { describeBooking } from '../domain/booking-event.js';
import { ExportFeedRepository } from '../infrastructure/export-feed.repository.js';

/** The feed lists bookings from this far back (so a meeting just held stays visible for a while)… */
export const EXPORT_PAST_DAYS = 30;
/** …to this far ahead. */
export const EXPORT_FUTURE_DAYS = 366;
const MAX_FEED_BOOKINGS = 2000;
/** How often subscribing apps are asked to refresh (Apple and Outlook honour it; Google polls on its own schedule). */
const FEED_TTL_SECONDS = 15 * 60;
const TOKEN_PREFIX = 'kcf_';
const TOKEN_SHAPE = /^kcf_[A-Za-z0-9_-]{40,64}$/;

export interface ExportFeedLink {
  url: string;
  rotatedAt: Date;
}

export interface RenderedFeed {
  body: string;
  etag: string;
}

/**
 * Each host's private, read-only iCalendar feed of their bookings, to subscribe to from Google, Apple or Outlook.
 * The URL carries a random token: stored as SHA-256 for lookup and encrypted so the owner can see the URL again.
 * Rotating replaces it (the old URL answers 404 from then on).
 *
 * Cancelled bookings are left out rather than sent as STATUS:CANCELLED: a subscription is re-read whole, so an event
 * that disappears is removed by every client, while Google Calendar and Outlook still show subscribed events marked
 * cancelled as ordinary meetings. A rescheduled booking keeps its UID, so the event moves instead of being duplicated.
 */
@Injectable()
export class CalendarExportFeeds {
  constructor(
    private readonly feeds: ExportFeedRepository,
    private readonly cipher: SecretCipher,
    private readonly bookings: BookingQueries,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The host's feed URL, created on first use. */
  async feedUrl(userId: string): Promise<ExportFeedLink> {
    const existing = await this.current(userId);
    if (existing) return existing;
    const token = newSecret(TOKEN_PREFIX, 32);
    await this.feeds.createIfAbsent(userId, sha256(token), this.cipher.encrypt(token), this.clock.now());
    const created = await this.current(userId); // ours, or the one a concurrent request created first
    if (!created) throw new Error('the export feed was not stored');
    return created;
  }

  /** A new URL for the host's feed; the previous one stops working at once. */
  async rotate(userId: string): Promise<ExportFeedLink> {
    const token = newSecret(TOKEN_PREFIX, 32);
    const now = this.clock.now();
    await this.feeds.replaceToken(userId, sha256(token), this.cipher.encrypt(token), now);
    return { url: this.urlOf(token), rotatedAt: now };
  }

  /** The feed behind a token, or null for a token that is not (or no longer) a feed's. */
  async render(token: string): Promise<RenderedFeed | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const hostId = await this.feeds.findHostByTokenHash(sha256(token));
    if (!hostId) return null;
    const host = await this.users.getById(hostId);
    const now = this.clock.now();
    const { rows } = await this.bookings.listForHost(host.id, {
      from: new Date(now.getTime() - EXPORT_PAST_DAYS * 86_400_000),
      to: new Date(now.getTime() + EXPORT_FUTURE_DAYS * 86_400_000),
      limit: MAX_FEED_BOOKINGS,
      offset: 0,
      includeArchived: false,
    });
    const live = rows.filter((r) => r.status === 'confirmed' || r.status === 'pending');
    const views = await this.bookings.getViews(live.map((r) => r.id));
    views.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.id.localeCompare(b.id));
    const events = views.map((view): IcsEventContent => {
      const described = describeBooking(view);
      return {
        uid: view.icalUid,
        sequence: view.sequence,
        start: view.startTime,
        end: view.endTime,
        zone: host.timeZone,
        // When the booking last changed, not "now" (an unchanged feed must render byte for byte the same for its
        // ETag) and never the meeting's start (RFC 5545: DTSTAMP is when the object was created).
        stamp: view.updatedAt,
        summary: described.summary,
        description: described.description,
        location: described.location,
        status: view.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED',
      };
    });
    const body = renderIcsCalendar(events, { name: `Kairos bookings (${host.name})`, ttlSeconds: FEED_TTL_SECONDS, zoneAround: now });
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
  }

  private async current(userId: string): Promise<ExportFeedLink | null> {
    const stored = await this.feeds.findOfHost(userId);
    return stored ? { url: this.urlOf(this.cipher.decrypt(stored.tokenEnc)), rotatedAt: stored.rotatedAt } : null;
  }

  private urlOf(token: string): string {
    return `${this.config.publicUrl}/feeds/${token}.ics`;
  }
}
