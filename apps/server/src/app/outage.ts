import { DatabaseUnavailableError } from '../database/database-unavailable.error';

/*
 * What ioredis rejects a command with while its connection is down: after
 * `maxRetriesPerRequest` reconnection attempts (MaxRetriesPerRequestError),
 * or when the connection was closed or is not writable.
 */
const REDIS_DOWN = [/^Connection is closed\.?$/, /^Stream isn't writeable/, /^Reached the max retries per request limit/];

/**
 * True when a request failed because a dependency is unreachable (the
 * database, Redis): the client may retry (UNAVAILABLE, REST 503). Anything
 * else is a bug on this server (INTERNAL, REST 500), and retrying will not
 * help. One rule for the gateway's acks and the REST error filter.
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return REDIS_DOWN.some((pattern) => pattern.test(error.message));
}
