import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export type LogContext = Record<string, unknown>;

/**
 * Keys whose values never reach a log line, wherever they sit in the context:
 * host keys, TURN credentials, SDP and candidates, authorization headers.
 */
export const REDACTED_KEYS = [
  'hostKey',
  'hostkey',
  'host',
  'credential',
  'password',
  'secret',
  'sdp',
  'candidate',
  'description',
  'authorization',
  'cookie',
];

/**
 * Structured JSON logging (pino) for the whole server, also serving as Nest's
 * LoggerService so framework messages come out in the same format.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  static create(level: string, destination?: pino.DestinationStream): AppLogger {
    const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
    return new AppLogger(
      pino(
        {
          level,
          base: { service: 'mesh-meet' },
          redact: { paths, censor: '[redacted]' },
          timestamp: pino.stdTimeFunctions.isoTime,
        },
        destination,
      ),
    );
  }

  /* Both our calls (message, {context}) and Nest's (message, ...params, 'ContextName') land here. */
  info(message: unknown, ...rest: unknown[]): void {
    this.pino.info(toContext(rest), String(message));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.pino.warn(toContext(rest), String(message));
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.pino.error(toContext(rest), String(message));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.pino.debug(toContext(rest), String(message));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.pino.info(toContext(rest), String(message));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.pino.trace(toContext(rest), String(message));
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.pino.fatal(toContext(rest), String(message));
  }
}

function toContext(rest: unknown[]): LogContext {
  const context: LogContext = {};
  for (const item of rest) {
    if (typeof item === 'string') context['context'] = item;
    else if (item instanceof Error) context['error'] = `${item.name}: ${item.message}`;
    else if (item && typeof item === 'object') Object.assign(context, item);
  }
  return context;
}

/** Strips the query string: host links carry the host key in `?host=`. */
export function pathWithoutQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
