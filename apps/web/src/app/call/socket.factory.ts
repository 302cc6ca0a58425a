import { InjectionToken } from '@angular/core';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export type SocketFactory = (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;

/** socket.io-client's `io`, behind a token so specs hand in a fake. Loaded with the meeting page only. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => io,
});
