import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MAX_EMBED_ORIGINS } from '../domain/embed-origins.js';
import { SUPPORTED_LOCALES } from '../../../shared/i18n/locales.js';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import { USERNAME_PATTERN } from '../domain/username.js';
import type { ApiKeyView, HostAccount } from '../application/identity-views.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';

export class CreateUserDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsSingleLine()
  name: string;

  @ApiProperty({
    minLength: 8,
    example: 'correct horse battery staple',
    description: 'at least 8 characters; not a common (breached) password, not containing the email or username',
  })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Europe/London', description: 'IANA time zone' })
  @IsTimeZone()
  time_zone: string;

  @ApiProperty({ example: 'ada', description: 'public handle used in booking-page URLs (lowercase letters, digits, -)' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 2-40 lowercase letters, digits or "-", not starting or ending with "-"' })
  username: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsSingleLine()
  name?: string;

  @ApiPropertyOptional({ description: 'IANA time zone' })
  @IsOptional()
  @IsTimeZone()
  time_zone?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_EMBED_ORIGINS,
    example: ['https://example.com', 'https://www.example.com'],
    description:
      'origins (scheme, host, optional port; no path or wildcard) allowed to frame your booking pages with ?embed=1; ' +
      '[] allows none. A wrong entry is a 400 naming it (embed_origins.<index>).',
  })
  @IsOptional()
  @IsArray({ message: 'embed_origins must be a list of origins like "https://example.com"' })
  @ArrayMaxSize(MAX_EMBED_ORIGINS, { message: `embed_origins must list at most ${MAX_EMBED_ORIGINS} origins` })
  @IsString({ each: true, message: 'each of embed_origins must be a string like "https://example.com"' })
  embed_origins?: string[];
  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "the language of the host's emails (and admin)" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES, { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  locale?: string;
}

export class LoginDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  current_password: string;

  @ApiProperty({
    minLength: 8,
    description: 'at least 8 characters; not a common (breached) password, not containing the email or username',
  })
  @IsString()
  @MinLength(8, { message: 'new_password must be at least 8 characters' })
  @MaxLength(200)
  new_password: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;
}

export class PasswordResetAcceptedDto {
  @ApiProperty({ example: 'If an account exists for this email, a link to reset its password has been sent.' }) message: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'the token from the emailed link' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8, { message: 'new_password must be at least 8 characters' })
  @MaxLength(200)
  new_password: string;
}

export class AccessTokenDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'seconds until the token expires' }) expires_in: number;
}

export class PublicUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
  @ApiProperty() time_zone: string;
}

export class UserDto extends PublicUserDto {
  @ApiProperty() email: string;
  @ApiProperty({
    description: 'whether the host proved the email address: a verification link sent at sign-up, or Google (Sign in with Google)',
  })
  email_verified: boolean;
  @ApiProperty({ type: [String], description: 'origins allowed to frame your booking pages (?embed=1)' }) embed_origins: string[];
  @ApiProperty({ enum: SUPPORTED_LOCALES, description: "the language of the host's emails (and admin)" }) locale: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI integration' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsSingleLine()
  name: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'first characters of the key, to recognise it' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_used_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the secret key; shown only once' }) key: string;
}

export const toPublicUser = (u: HostAccount): PublicUserDto => ({ id: u.id, name: u.name, username: u.username, time_zone: u.timeZone });

export const toUser = (u: HostAccount): UserDto => ({
  id: u.id,
  name: u.name,
  username: u.username,
  time_zone: u.timeZone,
  email: u.email,
  email_verified: u.emailVerified,
  embed_origins: [...u.embedOrigins],
  locale: u.locale,
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
});

export const toApiKey = (k: ApiKeyView): ApiKeyDto => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt.toISOString(),
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
});

/** A new key with its secret, shown only in this answer. */
export const toCreatedApiKey = (k: ApiKeyView, secret: string): CreatedApiKeyDto => Object.assign(toApiKey(k), { key: secret });
