import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorCode, RestError } from '@mesh-meet/protocol';
import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import type { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';

/** An HTTP error whose body is a RestError `{code, message, fields?}`. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, body: RestError, readonly headers: Record<string, string> = {}) {
    super(body, status);
  }
}

const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'INVALID_PAYLOAD',
  401: 'FORBIDDEN',
  403: 'FORBIDDEN',
  413: 'INVALID_PAYLOAD',
  415: 'INVALID_PAYLOAD',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * Every error of the REST API leaves as JSON with a code: ours as built,
 * the framework's (malformed JSON, body too large) mapped by status, a
 * database outage as 503, and anything unexpected as 500 without details.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ApiError) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    if (exception instanceof DatabaseUnavailableError) {
      this.logger.warn('database unavailable', { error: describeError(exception) });
      response.setHeader('Retry-After', '5');
      response
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .json({ code: 'UNAVAILABLE', message: 'the database is unavailable; try again shortly' });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_FOR_STATUS[status];
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body ? String(body.message) : exception.message;
      response.status(status).json(code ? { code, message } : { message });
      return;
    }
    const bodyParserStatus = bodyParserErrorStatus(exception);
    if (bodyParserStatus) {
      response
        .status(bodyParserStatus)
        .json({ code: CODE_FOR_STATUS[bodyParserStatus] ?? 'INVALID_PAYLOAD', message: 'the request body was refused' });
      return;
    }
    this.logger.error('request failed', { error: describeError(exception) });
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ message: 'internal error' });
  }
}

/** express.json() errors (too large, malformed, wrong charset) carry a 4xx status and a type. */
function bodyParserErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, type } = exception as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || typeof type !== 'string' || !type.startsWith('entity.')) return undefined;
  return status >= 400 && status < 500 ? status : undefined;
}
