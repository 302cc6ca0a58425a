import type { SignalingSocket } from '../app/call/socket.factory';

type Listener = (...args: unknown[]) => void;

/**
 * Just what SignalingClient uses of a socket.io-client Socket. The test fires
 * the server's events and decides what each acked emit answers.
 */
export class FakeSocket {
  private readonly listeners = new Map<string, Listener[]>();
  disconnected = false;
  /** As Socket.IO's: true from a `connect` the spec fires until a `disconnect`. */
  connected = false;
  /** The Manager's engine: closing it is how the client forces a reconnect. */
  readonly io = { engine: { close: jest.fn() }, _readyState: 'closed' as 'opening' | 'open' | 'closed' };
  /** Every emit, acked or not, in order. */
  readonly emitted: Array<{ event: string; args: unknown[] }> = [];
  /** The server's answer to an acked emit (a value or a promise of one). */
  answer: (event: string, ...args: unknown[]) => unknown = () => ({ ok: true });

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((existing) => existing !== listener));
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  /** Listeners still registered, for one event or all. */
  listenerCount(event?: string): number {
    if (event !== undefined) return this.listeners.get(event)?.length ?? 0;
    return [...this.listeners.values()].reduce((sum, list) => sum + list.length, 0);
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  disconnect(): this {
    this.disconnected = true;
    return this;
  }

  /** Socket.IO's manual (re)connect: opens the manager again at once. */
  readonly connect = jest.fn((): this => {
    this.disconnected = false;
    return this;
  });

  emit(event: string, ...args: unknown[]): this {
    this.emitted.push({ event, args });
    return this;
  }

  timeout(): this {
    return this;
  }

  async emitWithAck(event: string, ...args: unknown[]): Promise<unknown> {
    this.emitted.push({ event, args });
    return this.answer(event, ...args);
  }

  /** What the code under test emitted as `event`. */
  sent(event: string): unknown[][] {
    return this.emitted.filter((emit) => emit.event === event).map((emit) => emit.args);
  }

  asSocket(): SignalingSocket {
    return this as unknown as SignalingSocket;
  }
}
