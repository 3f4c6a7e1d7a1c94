import { Body, Controller, Delete, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { UsersService, wrongCurrentPassword } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser, refuseApiKey } from '../../../shared/http/authentication.js';
import { PrivacyService } from '../application/privacy.service.js';
import { DeleteAccountDto, EraseInviteeDto, EraseInviteeResultDto } from './privacy.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api')
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly users: UsersService,
  ) {}

  @Get('users/me/export')
  @Header('Content-Disposition', 'attachment; filename="kairos-export.json"')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Export the host's data and their invitees' personal data (GDPR access/portability)" })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  @ApiErrors(401)
  export(@CurrentUser() caller: AuthenticatedUser): Promise<Record<string, unknown>> {
    return this.privacy.export(caller.id);
  }

  @Delete('users/me')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete the account and all its data, including invitee data of its bookings (GDPR erasure); needs the current password and an access token (not an API key)',
  })
  @ApiNoContentResponse({ description: 'Deleted; the token no longer works' })
  @ApiErrors(400, 401, 403, 429)
  async deleteMe(@CurrentUser() caller: AuthenticatedUser, @Body() dto: DeleteAccountDto, @Req() req: FastifyRequest): Promise<void> {
    refuseApiKey(caller, 'delete the account');
    if (!(await this.users.checkPassword(caller.id, dto.password, req.ip))) throw wrongCurrentPassword('password');
    await this.privacy.deleteAccount(caller.id);
  }

  @Post('privacy/erase-invitee')
  @HttpCode(200)
  @ApiOperation({ summary: "Erase an invitee's name, email, phone and answers from the host's bookings (times are kept)" })
  @ApiOkResponse({ type: EraseInviteeResultDto })
  @ApiErrors(400, 401)
  eraseInvitee(@CurrentUser() caller: AuthenticatedUser, @Body() dto: EraseInviteeDto): Promise<EraseInviteeResultDto> {
    return this.privacy.eraseInvitee(caller.id, dto.email);
  }
}
