import { HttpStatus } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError } from './http-errors';

/**
 * express.json() whose every failure is the client's 4xx with a code: too
 * large (413), malformed, an unsupported charset or Content-Encoding (415),
 * and a body that does not decompress (zlib's errors carry no status: 400).
 * Nothing a client sends as a body can make a 500 or an error log line.
 */
export function jsonBody(limit: string) {
  const parse = express.json({ limit });
  return (request: Request, response: Response, next: NextFunction): void => {
    parse(request, response, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
      const clientStatus = typeof status === 'number' && status >= 400 && status < 500 ? status : HttpStatus.BAD_REQUEST;
      next(
        new ApiError(clientStatus, {
          code: 'INVALID_PAYLOAD',
          message: expose === true && typeof message === 'string' ? message : 'the request body could not be read',
        }),
      );
    });
  };
}
