import { Inject, Injectable } from '@nestjs/common';
import type { ErrorCode } from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import type { SignalingSocket } from '../meeting/socket-session';
import { FloodGuard } from '../rate-limit/flood-guard';

/**
 * What a connection may cost this process: a number of sockets per client
 * address, a deadline to be in a meeting, and no flood past RATE_LIMITED.
 * A connection past one of them is told why (`closing`) and disconnected.
 * The address count is per process: it keeps one process from being exhausted,
 * and with several processes an address may hold the limit on each.
 */
@Injectable()
export class ConnectionLimits {
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'connectionLimits'>,
  ) {}

  /** A new connection: counted, given its deadline; false when it was closed for its address's count. */
  opened(socket: SignalingSocket): boolean {
    const count = (this.perAddress.get(socket.data.address) ?? 0) + 1;
    this.perAddress.set(socket.data.address, count);
    if (count > this.config.connectionLimits.maxSocketsPerAddress) {
      this.close(socket, 'RATE_LIMITED', 'too many connections from your address');
      return false;
    }
    this.armDeadline(socket);
    return true;
  }

  /** Every connection, once it is gone (also those closed by `opened`). */
  closed(socket: SignalingSocket): void {
    clearTimeout(socket.data.deadline);
    const count = (this.perAddress.get(socket.data.address) ?? 1) - 1;
    if (count > 0) this.perAddress.set(socket.data.address, count);
    else this.perAddress.delete(socket.data.address);
  }

  /** A message was refused: one that keeps coming after RATE_LIMITED ends the connection. */
  refused(socket: SignalingSocket, code: ErrorCode): void {
    if (code !== 'RATE_LIMITED') return;
    socket.data.floods ??= new FloodGuard();
    if (socket.data.floods.refused()) this.close(socket, 'RATE_LIMITED', 'too many messages after being told to slow down');
  }

  /**
   * The browser opens its socket in the lobby and keeps it through the call,
   * so the deadline is checked again while it is in a meeting and closes a
   * connection found outside one (never joined, or left and stayed idle).
   */
  private armDeadline(socket: SignalingSocket): void {
    const timer = setTimeout(() => {
      // Waiting for the host counts as being in the meeting: the request has its own expiry.
      if (socket.data.session || socket.data.waiting) this.armDeadline(socket);
      else this.close(socket, 'NOT_IN_ROOM', 'no meeting joined in time; connect again to join');
    }, this.config.connectionLimits.joinDeadlineMs);
    timer.unref();
    socket.data.deadline = timer;
  }

  private close(socket: SignalingSocket, code: ErrorCode, message: string): void {
    if (!socket.connected) return;
    this.logger.info('closing connection', { code, roomId: socket.data.session?.roomId });
    socket.emit('closing', { code, message });
    socket.disconnect(true);
  }
}
