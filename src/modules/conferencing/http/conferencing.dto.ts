import { ApiProperty } from '@nestjs/swagger';
import type { ZoomConnection } from '../application/zoom-connect.service.js';

export class ZoomConnectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['zoom'] }) provider: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' }) account_email: string | null;
  @ApiProperty({ enum: ['active', 'broken'], description: 'broken: connect Zoom again (see last_error)' }) status: string;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the access token expires (refreshed automatically)' }) token_expires_at: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ZoomAuthorizationUrlDto {
  @ApiProperty({ example: 'https://zoom.us/oauth/authorize?response_type=code&client_id=...' }) authorization_url: string;
}

export const toZoomConnection = (c: ZoomConnection): ZoomConnectionDto => ({
  id: c.id,
  provider: 'zoom',
  account_email: c.accountEmail,
  status: c.status,
  last_error: c.lastError,
  token_expires_at: c.tokenExpiresAt.toISOString(),
  created_at: c.createdAt.toISOString(),
});
