import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { AuditService } from '../application/audit.service.js';
import { AuditListDto, AuditQueryDto, toAuditEntry } from './audit.dto.js';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "Audit trail of the host's bookings (who changed what, when); append-only" })
  @ApiOkResponse({ type: AuditListDto })
  @ApiErrors(400, 401, 404)
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() q: AuditQueryDto): Promise<AuditListDto> {
    const rows = await this.audit.list(caller.id, { bookingId: q.booking_id, limit: q.limit ?? 100, beforeId: q.before_id });
    return { entries: rows.map(toAuditEntry) };
  }
}
