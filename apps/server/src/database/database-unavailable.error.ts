/** A database call could not reach the database or took too long; callers answer UNAVAILABLE / 503. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly reason?: unknown,
  ) {
    super(`database unavailable during ${operation}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Driver codes that mean "the database is unreachable, gone or too slow" rather
 * than "this query is wrong": network errors, a lost or refused connection
 * (mysql2), a server shutting down or out of connections, lock waits that
 * timed out, and SQLite's busy/locked/cannot-open/I/O/disk-full.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
]);

/** mysql2 messages for a connection it already knows to be dead (these carry no code). */
const CLOSED_CONNECTION = /closed state|Pool is closed|Connection lost/i;

/**
 * Whether a driver error is about reaching the database (retry later) and not
 * a bug in the query (a 500 and an error log line, not "try again shortly").
 * TypeORM's QueryFailedError copies the driver's fields and keeps `driverError`.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 3; depth += 1) {
    const { code, fatal, message, driverError } = current as { code?: unknown; fatal?: unknown; message?: unknown; driverError?: unknown };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) return true;
    // mysql2 marks errors that killed the connection as fatal.
    if (fatal === true) return true;
    if (typeof message === 'string' && CLOSED_CONNECTION.test(message)) return true;
    current = driverError;
  }
  return false;
}

/**
 * Rejects with DatabaseUnavailableError when `work` has not settled within
 * `ms` or failed to reach the database; any other failure passes through as is.
 */
export async function withTimeout<T>(operation: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(operation, 'timeout')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isConnectionFailure(error)) throw error;
    throw new DatabaseUnavailableError(operation, error);
  } finally {
    clearTimeout(timer);
  }
}
