import type { JoinSuccess, SelfInfo } from '@mesh-meet/protocol';

/**
 * The server's yes to a join, for specs: a guest in room abc-defg-hij with
 * the named peers already there (camera and microphone on).
 */
export function joinAck(peers: string[] = [], self: Partial<SelfInfo> = {}): JoinSuccess {
  return {
    ok: true,
    self: {
      peerId: 'self-0001',
      role: 'guest',
      userId: '3f0c7a2e-8c1b-4d5e-9f6a-1b2c3d4e5f60',
      identity: 'issued-token',
      resumeToken: 'token',
      resumed: false,
      ...self,
    },
    room: { roomId: 'abc-defg-hij', name: 'Sync', access: 'open', locked: false, maxParticipants: 6 },
    peers: peers.map((peerId) => ({ peerId, name: peerId, role: 'guest' as const, media: { audio: true, video: true, screen: false } })),
    iceServers: [],
    iceTransportPolicy: 'all',
    upstreamBudgetBps: 2_500_000,
  };
}
