import { TestBed } from '@angular/core/testing';
import type { Socket } from 'socket.io-client';
import { APP_ORIGIN } from '../core/browser.tokens';
import { SignalingClient } from './signaling.client';
import { SOCKET_FACTORY } from './socket.factory';

/** Just what SignalingClient uses of a socket.io-client Socket; the test fires its events. */
class FakeSocket {
  private readonly listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  disconnected = false;

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  disconnect(): this {
    this.disconnected = true;
    return this;
  }
}

describe('SignalingClient.connect', () => {
  let sockets: FakeSocket[];
  let client: SignalingClient;

  beforeEach(() => {
    sockets = [];
    TestBed.configureTestingModule({
      providers: [
        SignalingClient,
        { provide: APP_ORIGIN, useValue: 'https://meet.example' },
        {
          provide: SOCKET_FACTORY,
          useValue: () => {
            const socket = new FakeSocket();
            sockets.push(socket);
            return socket as unknown as Socket;
          },
        },
      ],
    });
    client = TestBed.inject(SignalingClient);
  });

  it('shares one attempt between the lobby warm-up and Join', async () => {
    const warmUp = client.connect();
    const join = client.connect();
    expect(sockets).toHaveLength(1);
    expect(client.state()).toBe('connecting');

    sockets[0].fire('connect');

    await expect(Promise.all([warmUp, join])).resolves.toEqual([undefined, undefined]);
    expect(client.state()).toBe('connected');
    await client.connect();
    expect(sockets).toHaveLength(1);
  });

  it('tries again with a new socket after the first attempt failed', async () => {
    const first = client.connect();
    sockets[0].fire('connect_error', new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    expect(sockets[0].disconnected).toBe(true);

    const second = client.connect();
    expect(sockets).toHaveLength(2);
    sockets[1].fire('connect');
    await expect(second).resolves.toBeUndefined();
  });

  it('opens a new connection after close', async () => {
    const first = client.connect();
    sockets[0].fire('connect');
    await first;

    client.close();
    expect(client.state()).toBe('closed');
    const again = client.connect();
    expect(sockets).toHaveLength(2);
    sockets[1].fire('connect');
    await expect(again).resolves.toBeUndefined();
  });
});
