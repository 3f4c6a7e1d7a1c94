import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PrivacyService } from './application/privacy.service.js';
import { PrivacyController } from './http/privacy.controller.js';
import { PrivacyRepository } from './infrastructure/privacy.repository.js';

/** GDPR: account export and deletion, invitee erasure. */
@Module({
  imports: [AuditModule, IdentityModule], // IdentityModule: the current-password check before deletion
  controllers: [PrivacyController],
  providers: [PrivacyRepository, PrivacyService],
  exports: [PrivacyService], // the admin's profile page (web module)
})
export class PrivacyModule {}
