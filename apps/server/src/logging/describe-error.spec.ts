import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import { describeError } from './describe-error';

describe('describeError', () => {
  it('gives the name and message of an error', () => {
    expect(describeError(new TypeError('bad input'))).toBe('TypeError: bad input');
  });

  it('names the cause of a database failure', () => {
    const error = new DatabaseUnavailableError('open attendance', new Error('ECONNREFUSED'));
    expect(describeError(error)).toBe('database unavailable during open attendance: Error: ECONNREFUSED');
    expect(describeError(new DatabaseUnavailableError('ping', 'timeout'))).toBe('database unavailable during ping: timeout');
  });

  it('turns anything else thrown into a string', () => {
    expect(describeError('plain')).toBe('plain');
    expect(describeError(42)).toBe('42');
  });
});
