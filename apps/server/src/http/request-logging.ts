import type { NextFunction, Request, Response } from 'express';
import { type AppLogger, pathWithoutQuery } from '../logging/app-logger';

const QUIET_PATHS = new Set(['/health', '/metrics']);

/** One line per request: method, path without its query (host links carry the key there), status, time. */
export function requestLogging(logger: AppLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const path = pathWithoutQuery(request.originalUrl);
      if (QUIET_PATHS.has(path)) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug('http', {
        method: request.method,
        path,
        status: response.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      });
    });
    next();
  };
}
