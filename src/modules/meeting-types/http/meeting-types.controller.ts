import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { MeetingTypesService } from '../application/meeting-types.service.js';
import {
  CreateMeetingTypeDto,
  ListMeetingTypesQueryDto,
  MeetingTypeDto,
  UpdateMeetingTypeDto,
  toChanges,
  toMeetingType,
} from './meeting-type.dto.js';

@ApiTags('meeting-types')
@ApiBearerAuth()
@Controller('api/meeting-types')
export class MeetingTypesController {
  constructor(
    private readonly meetingTypes: MeetingTypesService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a meeting type' })
  @ApiCreatedResponse({ type: MeetingTypeDto })
  @ApiErrors(400, 401, 409)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateMeetingTypeDto): Promise<MeetingTypeDto> {
    return toMeetingType(await this.meetingTypes.create(caller.id, toChanges(dto)), this.config.publicUrl);
  }

  @Get()
  @ApiOperation({ summary: "The caller's meeting types, oldest first; the total is in X-Total-Count" })
  @ApiOkResponse({ type: [MeetingTypeDto] })
  @ApiErrors(400, 401)
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListMeetingTypesQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<MeetingTypeDto[]> {
    const { items, total } = await this.meetingTypes.list(caller.id, query.limit ?? 50, query.offset ?? 0);
    res.header('X-Total-Count', String(total));
    return items.map((v) => toMeetingType(v, this.config.publicUrl));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A meeting type of the caller' })
  @ApiOkResponse({ type: MeetingTypeDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<MeetingTypeDto> {
    return toMeetingType(await this.meetingTypes.get(caller.id, id), this.config.publicUrl);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a meeting type: the fields sent replace the stored ones; the result must be valid' })
  @ApiOkResponse({ type: MeetingTypeDto })
  @ApiErrors(400, 401, 404, 409)
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateMeetingTypeDto,
  ): Promise<MeetingTypeDto> {
    return toMeetingType(await this.meetingTypes.update(caller.id, id, toChanges(dto)), this.config.publicUrl);
  }

  @Post(':id/duplicate')
  @ApiOperation({
    summary: 'Duplicate a meeting type',
    description:
      'A copy with every setting, question, reminder and host, named "<name> (copy)" at the first free slug of ' +
      '"<slug>-copy", "<slug>-copy-2", …; it is inactive (is_active false) until turned on. Another host\'s type is 404.',
  })
  @ApiCreatedResponse({ type: MeetingTypeDto })
  @ApiErrors(400, 401, 404, 409)
  async duplicate(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<MeetingTypeDto> {
    return toMeetingType(await this.meetingTypes.duplicate(caller.id, id), this.config.publicUrl);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a meeting type that has no bookings (deactivate a booked one instead)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404, 409)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.meetingTypes.remove(caller.id, id);
  }
}
