import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { hostPortOf, OutboundHttp } from '../../../shared/outbound/outbound-http.js';
import { type ZoomTransport, ZoomRequestError, zoomFetch } from './zoom-http.js';

export interface ZoomTokens {
  accessToken: string;
  /** Zoom rotates refresh tokens: every refresh answers a new one, which replaces the old. */
  refreshToken: string | null;
  expiresAt: Date;
}

export interface ZoomMeetingInput {
  topic: string;
  start: Date;
  durationMinutes: number;
  agenda: string;
}

/** The parts of Zoom's meeting object we read. Zoom meeting ids are 64-bit integers: kept as strings. */
interface ZoomMeeting {
  id?: number | string;
  join_url?: string;
  agenda?: string;
}

/** The token endpoint revoked or never issued this grant: the host must connect Zoom again. */
export class ZoomGrantRevokedError extends Error {
  constructor() {
    super('Zoom access was revoked or has expired: connect Zoom again');
    this.name = 'ZoomGrantRevokedError';
  }
}

/** Zoom OAuth 2.0 (user-managed app) and Meetings API v2 over plain HTTP; the endpoints come from configuration. */
@Injectable()
export class ZoomAdapter {
  /** Tests shorten the inline waits. */
  transportOptions: Pick<ZoomTransport, 'maxInlineWaitMs' | 'attempts' | 'sleep'> = {
    maxInlineWaitMs: 30_000,
    attempts: 4,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };

  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {}

  private get cfg() {
    return this.config.zoom;
  }

  private get transport(): ZoomTransport {
    return { http: this.outbound, allow: [this.cfg.apiUrl, this.cfg.tokenUrl].map(hostPortOf), ...this.transportOptions };
  }

  isConfigured(): boolean {
    return Boolean(this.cfg.clientId && this.cfg.clientSecret);
  }

  authorizationUrl(state: string, redirectUri: string): string {
    const url = new URL(this.cfg.authUrl);
    url.search = new URLSearchParams({ response_type: 'code', client_id: this.cfg.clientId, redirect_uri: redirectUri, state }).toString();
    return url.toString();
  }

  /** Zoom's token endpoint takes the client credentials as HTTP Basic, not in the form. */
  private async token(form: Record<string, string>, now: Date): Promise<ZoomTokens> {
    const basic = Buffer.from(`${this.cfg.clientId}:${this.cfg.clientSecret}`).toString('base64');
    try {
      const { body } = await zoomFetch<{ access_token: string; refresh_token?: string; expires_in?: number }>(
        this.transport,
        this.cfg.tokenUrl,
        {
          method: 'POST',
          headers: { Authorization: `Basic ${basic}` },
          form,
        },
      );
      return {
        accessToken: body.access_token,
        refreshToken: body.refresh_token ?? null,
        expiresAt: new Date(now.getTime() + (body.expires_in ?? 3600) * 1000),
      };
    } catch (error) {
      // 400 invalid_grant / invalid_request on a refresh: the grant is gone.
      if (error instanceof ZoomRequestError && form.grant_type === 'refresh_token' && error.status === 400)
        throw new ZoomGrantRevokedError();
      throw error;
    }
  }

  exchangeCode(code: string, redirectUri: string, now: Date): Promise<ZoomTokens> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, now);
  }

  refresh(refreshToken: string, now: Date): Promise<ZoomTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, now);
  }

  private auth(accessToken: string) {
    return { Authorization: `Bearer ${accessToken}` };
  }

  async account(accessToken: string): Promise<{ id: string; email: string | null }> {
    const { body } = await zoomFetch<{ id?: string; email?: string }>(this.transport, `${this.cfg.apiUrl}/users/me`, {
      headers: this.auth(accessToken),
    });
    return { id: String(body.id), email: body.email ?? null };
  }

  private meetingBody(m: ZoomMeetingInput) {
    return {
      topic: m.topic.slice(0, 200),
      type: 2, // a scheduled meeting
      start_time: m.start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      duration: m.durationMinutes,
      timezone: 'UTC',
      agenda: m.agenda.slice(0, 2000),
      settings: { join_before_host: false, waiting_room: true },
    };
  }

  /** POST /users/me/meetings: the new meeting's id and join link. */
  async createMeeting(accessToken: string, m: ZoomMeetingInput): Promise<{ meetingId: string; joinUrl: string }> {
    const { body } = await zoomFetch<ZoomMeeting>(this.transport, `${this.cfg.apiUrl}/users/me/meetings`, {
      method: 'POST',
      headers: this.auth(accessToken),
      json: this.meetingBody(m),
    });
    if (body.id === undefined || !body.join_url) throw new ZoomRequestError(0, 'Zoom answered a meeting without id or join_url');
    return { meetingId: String(body.id), joinUrl: body.join_url };
  }

  /**
   * The host's upcoming meeting whose agenda carries `marker`: a create whose answer was lost made it, and a retry
   * takes it over instead of making a second one (Zoom has no idempotency key).
   */
  async findMeeting(accessToken: string, marker: string): Promise<{ meetingId: string; joinUrl: string } | null> {
    let pageToken = '';
    for (let page = 0; page < 10; page++) {
      const url = new URL(`${this.cfg.apiUrl}/users/me/meetings`);
      url.searchParams.set('type', 'upcoming');
      url.searchParams.set('page_size', '300');
      if (pageToken) url.searchParams.set('next_page_token', pageToken);
      const { body } = await zoomFetch<{ meetings?: ZoomMeeting[]; next_page_token?: string }>(this.transport, url.toString(), {
        headers: this.auth(accessToken),
      });
      for (const mt of body.meetings ?? []) {
        if (mt.agenda?.includes(marker) && mt.id !== undefined && mt.join_url) return { meetingId: String(mt.id), joinUrl: mt.join_url };
      }
      pageToken = body.next_page_token ?? '';
      if (!pageToken) return null;
    }
    return null;
  }

  /** PATCH /meetings/{id} (204): new time, length and topic; the join link stays. */
  async updateMeeting(accessToken: string, meetingId: string, m: ZoomMeetingInput): Promise<void> {
    await zoomFetch(this.transport, `${this.cfg.apiUrl}/meetings/${encodeURIComponent(meetingId)}`, {
      method: 'PATCH',
      headers: this.auth(accessToken),
      json: this.meetingBody(m),
    });
  }

  /** DELETE /meetings/{id}; a meeting already gone (404) is fine. */
  async deleteMeeting(accessToken: string, meetingId: string): Promise<void> {
    await zoomFetch(this.transport, `${this.cfg.apiUrl}/meetings/${encodeURIComponent(meetingId)}?schedule_for_reminder=false`, {
      method: 'DELETE',
      headers: this.auth(accessToken),
      accept: [404],
    });
  }
}
