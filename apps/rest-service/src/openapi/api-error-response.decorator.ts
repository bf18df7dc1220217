import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Documents an error a route can give beyond the defaults every operation gets (400/401/403,
 * 404 with path parameters, 500), e.g. `@ApiErrorResponse(409, 'The name is taken')`.
 */
export const ApiErrorResponse = (status: number, description: string) =>
  ApiResponse({ status, description, type: ErrorResponseDto });
