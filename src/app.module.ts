import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfigModule } from './config/config.module.js';
import { SlotsModule } from './modules/availability/slots.module.js';
import { BookingModule } from './modules/booking/booking.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { DeliveryQueueModule } from './modules/notify/jobs/delivery-queue.module.js';
import { NotifyModule } from './modules/notify/notify.module.js';
import { CalendarModule } from './modules/calendar/calendar.module.js';
import { ConferencingModule } from './modules/conferencing/conferencing.module.js';
import { OutboxModule } from './shared/outbox/outbox.module.js';
import { SchedulesModule } from './modules/schedules/schedules.module.js';
import { MeetingTypesModule } from './modules/meeting-types/meeting-types.module.js';
import { TeamsModule } from './modules/teams/teams.module.js';
import { WebModule } from './modules/web/web.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { PrivacyModule } from './modules/privacy/privacy.module.js';
import { InsightsModule } from './modules/insights/insights.module.js';
import { RoundRobinModule } from './modules/round-robin/round-robin.module.js';
import { MetricsModule } from './shared/metrics/metrics.module.js';
import { ThrottlingModule } from './shared/throttling/throttling.module.js';
import { CacheModule } from './shared/cache/cache.module.js';
import { ClockModule } from './shared/clock/clock.module.js';
import { DatabaseModule } from './shared/database/database.module.js';
import { HttpExceptionFilter } from './shared/http/http-exception.filter.js';
import { LoggingModule } from './shared/logging/logging.module.js';
import { OutboundModule } from './shared/outbound/outbound.module.js';
import { QueueModule } from './shared/queue/queue.module.js';
import { RedisModule } from './shared/redis/redis.module.js';
import { SchedulingModule } from './shared/scheduling/scheduling.module.js';
import { MailModule } from './shared/mail/mail.module.js';

/** The whole app. `overrides` replace environment variables (tests, tools). */
@Module({})
export class AppModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    const config = AppConfigModule.forRoot(overrides); // first: it loads `.env`
    // BullMQ queues and workers exist only with REDIS_URL: which modules to import is decided here, once per app.
    const withRedis = AppConfigModule.redisConfigured(overrides);
    return {
      module: AppModule,
      imports: [
        config,
        LoggingModule,
        ClockModule,
        OutboundModule,
        MailModule,
        DatabaseModule,
        RedisModule,
        CacheModule,
        SchedulingModule,
        QueueModule.forRoot(withRedis),
        HealthModule,
        IdentityModule,
        TeamsModule,
        SchedulesModule,
        MeetingTypesModule,
        SlotsModule,
        BookingModule,
        OutboxModule,
        NotifyModule,
        DeliveryQueueModule.forRoot(withRedis),
        CalendarModule,
        ConferencingModule,
        MetricsModule,
        ThrottlingModule,
        AuditModule,
        PrivacyModule, // ops (issue 8); throttling after IdentityModule's guard
        InsightsModule,
        RoundRobinModule,
        WebModule, // last: its /:username page routes are catch-alls
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
