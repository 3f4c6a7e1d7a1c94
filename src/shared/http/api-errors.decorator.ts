import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) status_code: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'time_zone must be an IANA time zone such as "Europe/London"' }) message: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input (the message says what is wrong)',
  401: 'Missing or invalid credentials',
  404: 'Not found, or not visible to the caller',
  409: 'Conflict: the time is not (or no longer) available, or the value is taken',
  413: 'Request body larger than 1 MB',
  429: 'Rate limited',
};

/** Documents the error responses of an endpoint with the shared error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
