import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IceServer, JoinSuccess } from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';

/**
 * coturn REST-API credentials (use-auth-secret): the username is
 * `<unix-expiry>:<peerId>` and the password base64(HMAC-SHA1(secret, username)).
 * coturn checks them with the same secret, so no user list exists anywhere and
 * a leaked credential dies at its expiry.
 */
export function turnCredential(
  secret: string,
  peerId: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string } {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${peerId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export type IceConfigForJoin = Pick<JoinSuccess, 'iceServers' | 'iceTransportPolicy'>;

/** The ICE part of a join ack: STUN and TURN servers (with a fresh TURN credential) and the transport policy. */
@Injectable()
export class IceServersService {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'ice'>) {}

  /** Whether joins receive TURN credentials (for the start-up log line). */
  get turnEnabled(): boolean {
    return Boolean(this.config.ice.turnSecret);
  }

  forJoin(peerId: string, nowMs = Date.now()): IceConfigForJoin {
    const { ice } = this.config;
    const iceServers: IceServer[] = [];
    if (ice.stunUrls.length > 0) iceServers.push({ urls: [...ice.stunUrls] });
    if (ice.turnSecret && ice.turnUrls.length > 0) {
      iceServers.push({
        urls: [...ice.turnUrls],
        ...turnCredential(ice.turnSecret, peerId, ice.turnTtlSeconds, nowMs),
      });
    }
    return { iceServers, iceTransportPolicy: ice.transportPolicy };
  }
}
