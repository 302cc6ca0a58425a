import { DatabaseUnavailableError } from '../database/database-unavailable.error';

/**
 * One line for a log's `error` field: name and message, never a stack or the
 * objects an error carries (they may hold SDP or credentials). A database
 * failure names its cause too, so a log says why the database was unavailable.
 */
export function describeError(error: unknown): string {
  if (error instanceof DatabaseUnavailableError) {
    return `${error.message}: ${describeError(error.reason)}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
