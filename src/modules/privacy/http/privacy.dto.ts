import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class EraseInviteeDto {
  @ApiProperty({ example: 'invitee@example.com', description: "The invitee whose personal data to erase from the caller's bookings" })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;
}

export class EraseInviteeResultDto {
  @ApiProperty({ type: 'integer', description: 'Invitee records redacted' }) erased_invitees: number;
  @ApiProperty({ type: 'integer', description: 'Bookings they belonged to (kept, with their times)' }) bookings: number;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'the current password: deletion cannot be undone' })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password is required: send your current password to delete the account' })
  @MaxLength(200)
  password: string;
}
