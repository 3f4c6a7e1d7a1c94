import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

export class EraseInviteeDto {
  @ApiProperty({ example: 'invitee@example.com', description: "The invitee whose personal data to erase from the caller's bookings" })
  @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(255)
  email: string;
}

export class EraseInviteeResultDto {
  @ApiProperty({ description: 'Invitee records redacted' }) erased_invitees: number;
  @ApiProperty({ description: 'Bookings they belonged to (kept, with their times)' }) bookings: number;
}
