import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DatabaseUnavailableError, withTimeout } from './database-unavailable.error';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('withTimeout', () => {
  it('calls a refused connection "unavailable"', async () => {
    const port = await closedPort();
    const attempt = withTimeout('connect', 5000, createConnection({ host: '127.0.0.1', port, user: 'root' }));
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it('calls an operation past its deadline "unavailable"', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout('slow query', 20, never)).rejects.toMatchObject({ name: 'DatabaseUnavailableError', reason: 'timeout' });
  });

  it('lets a query bug through as itself, not as an outage', async () => {
    const bug = Object.assign(new Error("Unknown column 'nme' in 'field list'"), { code: 'ER_BAD_FIELD_ERROR', errno: 1054 });
    await expect(withTimeout('find room', 1000, Promise.reject(bug))).rejects.toBe(bug);
  });
});
