import type { JoinAck, JoinRequests, JoinSuccess, JoinWaiting } from '@mesh-meet/protocol';
import { type TestSocket, connectClient, request, waitFor } from '@mesh-meet/testing';

/** A guest's join into an `ask` room: connects, joins, and expects the waiting ack. */
export async function askToJoin(
  url: string,
  roomId: string,
  name: string,
  identity?: string,
): Promise<{ socket: TestSocket; waiting: JoinWaiting }> {
  const socket = await connectClient(url);
  const ack = await request<JoinAck>(socket, 'join', { roomId, name, ...(identity ? { identity } : {}) });
  if (!ack.ok || !('waiting' in ack)) {
    socket.disconnect();
    throw new Error(`expected to wait for the host, got ${JSON.stringify(ack)}`);
  }
  return { socket, waiting: ack };
}

/** Sends the join again on the same connection, as a client does on `admitted`; expects a seat. */
export async function joinAgain(socket: TestSocket, roomId: string, name: string, identity: string): Promise<JoinSuccess> {
  const ack = await request<JoinAck>(socket, 'join', { roomId, name, identity });
  if (!ack.ok || !('self' in ack)) throw new Error(`expected a seat, got ${JSON.stringify(ack)}`);
  return ack;
}

/**
 * Records a host's `join-requests` and waits for a list that satisfies `test`
 * (each event replaces the last, so the newest is the host's view).
 */
export function requestLists(host: TestSocket): {
  all: JoinRequests[];
  latest(): JoinRequests | undefined;
  until(test: (names: string[]) => boolean, what: string): Promise<string[]>;
} {
  const all: JoinRequests[] = [];
  host.on('join-requests', (event) => all.push(event));
  const latest = () => all.at(-1);
  return {
    all,
    latest,
    until: (test, what) =>
      waitFor(
        () => {
          const names = latest()?.requests.map((request) => request.name);
          return names && test(names) ? names : null;
        },
        { what, timeoutMs: 10_000 },
      ),
  };
}
