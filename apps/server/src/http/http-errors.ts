import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorCode, RestError } from '@mesh-meet/protocol';
import { isOutage } from '../app/outage';
import type { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';

/** An HTTP error whose body is a RestError `{code, message, fields?}`. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, body: RestError, readonly headers: Record<string, string> = {}) {
    super(body, status);
  }
}

const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'FORBIDDEN',
  403: 'FORBIDDEN',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * The code of a framework error with this status. Any other 4xx (no such
 * route, method, body too large, unsupported media type or charset) is a
 * request the API cannot take as sent; any other 5xx is ours.
 */
function codeForStatus(status: number): ErrorCode {
  return CODE_FOR_STATUS[status] ?? (status < 500 ? 'INVALID_PAYLOAD' : 'INTERNAL');
}

/**
 * Every error of the REST API leaves as JSON with a code: ours as built
 * (refused bodies by json-body.ts), the framework's (no such route) mapped by
 * status, a database or Redis outage (app/outage.ts) as 503 UNAVAILABLE, and anything unexpected (a
 * query bug included) as 500 INTERNAL without details and an error log line.
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
    if (isOutage(exception)) {
      this.logger.warn('dependency unavailable', { error: describeError(exception) });
      response.setHeader('Retry-After', '5');
      response
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .json({ code: 'UNAVAILABLE', message: 'the server cannot reach its database or Redis; try again shortly' });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body && 'message' in body ? String(body.message) : exception.message;
      response.status(status).json({ code: codeForStatus(status), message });
      return;
    }
    this.logger.error('request failed', { error: describeError(exception) });
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ code: 'INTERNAL', message: 'internal error' });
  }
}
