import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { OutboundHttp, statusClass } from '../../../shared/outbound/outbound-http.js';
import { occurrencesOf, parseVEvents } from '../domain/ical.js';
import type { Occurrence } from '../domain/occurrence.js';
import { ProviderError, RateLimitedError, retryAfterMs } from './provider-http.js';
import { asUnsafeUrlError } from './safe-http.js';

export interface IcsState {
  etag: string | null;
  lastModified: string | null;
  /** Hash of the last body, so an unchanged feed without validators does not count as a change. */
  contentHash: string | null;
}

export type IcsResult = { changed: false } | { changed: true; occurrences: Occurrence[]; state: IcsState };

/** A single-valued response header, or null when it is absent. */
const headerOf = (headers: Record<string, string | string[] | undefined>, name: string): string | null => {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
};

/** Read-only iCalendar feeds (webcal/https), fetched conditionally (ETag / If-Modified-Since). */
@Injectable()
export class IcsFeedAdapter {
  private readonly logger = new Logger('IcsFeed');

  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {}

  async fetch(url: string, state: IcsState, hostZone: string, from: Date, to: Date): Promise<IcsResult> {
    const headers: Record<string, string> = { Accept: 'text/calendar, */*;q=0.5' };
    if (state.etag) headers['If-None-Match'] = state.etag;
    if (state.lastModified) headers['If-Modified-Since'] = state.lastModified;
    const res = await this.outbound
      .request(url, { headers, allow: this.config.calendarPrivateUrlAllowlist, redirect: 'follow' })
      .catch((error: unknown) => {
        throw asUnsafeUrlError(error);
      });
    if (res.status === 304) return { changed: false };
    if (res.status === 429 || res.status === 503) {
      throw new RateLimitedError(retryAfterMs(headerOf(res.headers, 'retry-after')) ?? 60_000);
    }
    if (res.status !== 200) {
      // The host reads this (last_error, the 400 when connecting): the status class only, the code in our logs.
      this.logger.warn(`ICS feed at ${new URL(url).host} answered ${res.status}`);
      throw new ProviderError(res.status, 'http', `the feed answered ${statusClass(res.status)}`);
    }
    if (!/BEGIN:VCALENDAR/i.test(res.body)) throw new ProviderError(200, 'not_ical', 'the URL did not return an iCalendar feed');
    const contentHash = createHash('sha256').update(res.body).digest('hex');
    const next: IcsState = {
      etag: headerOf(res.headers, 'etag'),
      lastModified: headerOf(res.headers, 'last-modified'),
      contentHash,
    };
    if (contentHash === state.contentHash) return { changed: false };
    const events = parseVEvents(res.body);
    return { changed: true, occurrences: occurrencesOf(events, hostZone, from, to, (e) => e.uid), state: next };
  }
}
