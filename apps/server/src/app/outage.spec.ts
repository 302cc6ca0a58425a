import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import { isOutage } from './outage';

describe('isOutage', () => {
  it('calls an unreachable database or Redis an outage, whichever way the request came in', () => {
    expect(isOutage(new DatabaseUnavailableError('join'))).toBe(true);
    expect(isOutage(new Error('Connection is closed.'))).toBe(true);
    expect(isOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isOutage(Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it('calls anything else a bug', () => {
    expect(isOutage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isOutage(new Error('ER_PARSE_ERROR: You have an error in your SQL syntax'))).toBe(false);
    expect(isOutage('Connection is closed.')).toBe(false);
  });
});
