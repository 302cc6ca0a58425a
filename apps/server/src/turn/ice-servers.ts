import { createHmac } from 'node:crypto';
import type { IceServer } from '@mesh-meet/protocol';
import type { AppConfig } from '../config/config';

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

/** The iceServers a joining peer receives. */
export function iceServersFor(ice: AppConfig['ice'], peerId: string, nowMs = Date.now()): IceServer[] {
  const servers: IceServer[] = [];
  if (ice.stunUrls.length > 0) servers.push({ urls: [...ice.stunUrls] });
  if (ice.turnSecret && ice.turnUrls.length > 0) {
    servers.push({
      urls: [...ice.turnUrls],
      ...turnCredential(ice.turnSecret, peerId, ice.turnTtlSeconds, nowMs),
    });
  }
  return servers;
}
