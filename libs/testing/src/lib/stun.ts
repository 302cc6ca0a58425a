import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { waitFor } from './wait-for';

const MAGIC_COOKIE = 0x2112a442;

/**
 * One STUN Binding request over UDP; resolves true when a Binding success
 * response with the same transaction id comes back within `timeoutMs`.
 * Used to wait until coturn answers (a state, not a sleep).
 */
export function stunBinding(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transaction = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2);
    request.writeUInt32BE(MAGIC_COOKIE, 4);
    transaction.copy(request, 8);
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('message', (message) => {
      if (message.length >= 20 && message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) {
        finish(true);
      }
    });
    socket.on('error', () => finish(false));
    socket.send(request, port, host);
  });
}

/** Repeats Binding requests until one is answered, up to `totalMs`. */
export async function waitForStun(host: string, port: number, totalMs = 10_000): Promise<void> {
  // Each request waits for its answer itself: no pause between them.
  await waitFor(() => stunBinding(host, port), { what: `STUN answer from ${host}:${port}`, timeoutMs: totalMs, intervalMs: 0 });
}
