import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'time_zone' }) field: string;
  @ApiProperty({ type: [String] }) messages: string[];
  @ApiPropertyOptional({ type: [String], example: ['overlaps'], description: 'stable codes, one per message, from domain validators' })
  codes?: string[];
}

export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 400 }) status_code: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'time_zone must be an IANA time zone such as "Europe/London"' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '400 from validation (409 for a taken value): one entry per invalid field' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'integer', description: '429: the same as the Retry-After header' }) retry_after_seconds?: number;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input (the message says what is wrong)',
  401: 'Missing or invalid credentials',
  403: 'The caller may not do this (e.g. with an API key, or not a team admin)',
  404: 'Not found, or not visible to the caller',
  409: 'Conflict: the time is not (or no longer) available, or the value is taken',
  410: 'Gone: it expired or was used',
  413: 'Request body larger than 1 MB',
  422: 'Understood but cannot be processed (e.g. the provider is not configured)',
  429: 'Rate limited',
};

/** Documents the error responses of an endpoint with the shared error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
