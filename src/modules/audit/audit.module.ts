import { Module } from '@nestjs/common';
import { BookingModule } from '../booking/booking.module.js';
import { AuditService } from './application/audit.service.js';
import { AuditController } from './http/audit.controller.js';
import { AuditLogRepository } from './infrastructure/audit-log.repository.js';

/** Append-only audit log of booking changes (from the outbox) and privacy actions. */
@Module({
  imports: [BookingModule],
  controllers: [AuditController],
  providers: [AuditLogRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
