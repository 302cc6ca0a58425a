import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { IceServersService, turnCredential } from './ice-servers.service';

describe('TURN REST-API credentials', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  const iceServersFor = (ice: AppConfig['ice'], peerId: string, nowMs: number) =>
    new IceServersService({ ice }).forJoin(peerId, nowMs).iceServers;

  it('uses <expiry>:<peerId> as username and base64 HMAC-SHA1 as password', () => {
    const { username, credential } = turnCredential('s3cret-s3cret-s3cret', 'peer123456', 600, now);
    expect(username).toBe(`${now / 1000 + 600}:peer123456`);
    expect(credential).toBe(createHmac('sha1', 's3cret-s3cret-s3cret').update(username).digest('base64'));
  });

  it('hands out STUN alone without a secret, and TURN only with one', () => {
    const ice = { stunUrls: ['stun:a:3478'], turnUrls: ['turn:a:3478'], turnSecret: undefined, turnTtlSeconds: 60, transportPolicy: 'all' as const };
    expect(iceServersFor(ice, 'peer123456', now)).toEqual([{ urls: ['stun:a:3478'] }]);
    const withSecret = iceServersFor({ ...ice, turnSecret: 'x'.repeat(16) }, 'peer123456', now);
    expect(withSecret[1]).toMatchObject({ urls: ['turn:a:3478'], username: `${now / 1000 + 60}:peer123456` });
  });

  it('gives none on a bare localhost setup', () => {
    expect(iceServersFor({ stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 60, transportPolicy: 'all' as const }, 'p', now)).toEqual([]);
  });

  it('passes the operator transport policy to the join', () => {
    const ice = { stunUrls: [], turnUrls: ['turn:a:3478'], turnSecret: 'x'.repeat(16), turnTtlSeconds: 60, transportPolicy: 'relay' as const };
    expect(new IceServersService({ ice }).forJoin('peer123456', now).iceTransportPolicy).toBe('relay');
  });
});
