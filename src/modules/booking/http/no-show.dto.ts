import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

export class MarkNoShowDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the invitee who did not come (group bookings); without it, every active invitee of the booking',
  })
  @IsOptional()
  @IsUUID('all', { message: 'invitee_id must be a UUID' })
  invitee_id?: string;

  @ApiPropertyOptional({ default: true, description: 'false takes the mark back (the same as DELETE)' })
  @IsOptional()
  @IsBoolean({ message: 'no_show must be true or false' })
  no_show?: boolean;
}

export class ClearNoShowQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only this invitee; without it, every marked invitee of the booking' })
  @IsOptional()
  @IsUUID('all', { message: 'invitee_id must be a UUID' })
  invitee_id?: string;
}
