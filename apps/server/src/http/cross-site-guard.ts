import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../config/config';
import { ApiError } from './http-errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Refuses state-changing API requests another site could make a browser send.
 * A cross-site form or "simple" fetch cannot set Content-Type: application/json
 * without a CORS preflight (which this server never grants), so requiring it
 * closes the simple-POST path; a request whose Origin is not ours
 * (PUBLIC_URL, ALLOWED_ORIGINS) is refused even if it is JSON. Requests
 * without Origin (curl, server-side clients) pass the origin check.
 */
export function crossSiteGuard(config: Pick<AppConfig, 'allowedOrigins'>) {
  const allowed = new Set(config.allowedOrigins);
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!STATE_CHANGING.has(request.method)) return next();
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      return next(new ApiError(HttpStatus.FORBIDDEN, { code: 'FORBIDDEN', message: 'requests from this origin are not accepted' }));
    }
    if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
      return next(
        new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, { code: 'INVALID_PAYLOAD', message: 'send the body as Content-Type: application/json' }),
      );
    }
    next();
  };
}
