import type { SignalData } from '@mesh-meet/protocol';
import type { PeerSession } from './peer-session';
import { MAX_BUFFERED_SIGNALS, PeerSessions } from './peer-sessions';

/** Records what a PeerSession would have been handed. */
function recordingSession(peerId: string) {
  const handled: SignalData[] = [];
  const session = { peerId, handled, close: jest.fn(), handleSignal: jest.fn(async (data: SignalData) => void handled.push(data)) };
  return session;
}
type Recording = ReturnType<typeof recordingSession>;

function sessions() {
  const created: Recording[] = [];
  const map = new PeerSessions((peerId) => {
    const session = recordingSession(peerId);
    created.push(session);
    return session as unknown as PeerSession;
  });
  return { map, created };
}

const offer: SignalData = { description: { type: 'offer', sdp: 'o' } };
const candidate: SignalData = { candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } };

describe('PeerSessions', () => {
  it('hands signals to the session of their peer', () => {
    const { map, created } = sessions();
    map.open('a', true);
    map.deliver('a', offer);
    expect(created[0].handled).toEqual([offer]);
  });

  it('keeps the signals of a peer it does not know yet and applies them, in order, once that peer is known', () => {
    const { map, created } = sessions();
    // peer-joined reached the member before our join ack: its offer comes first.
    map.deliver('early', offer);
    map.deliver('early', candidate);
    expect(created).toEqual([]);
    map.open('early', false);
    expect(created[0].handled).toEqual([offer, candidate]);
    map.open('early', false);
    expect(created[1].handled).toEqual([]);
  });

  it(`keeps at most ${MAX_BUFFERED_SIGNALS} early signals per peer`, () => {
    const { map, created } = sessions();
    for (let i = 0; i < MAX_BUFFERED_SIGNALS + 5; i++) map.deliver('chatty', candidate);
    map.open('chatty', false);
    expect(created[0].handled).toHaveLength(MAX_BUFFERED_SIGNALS);
  });

  it('opening a peer again closes its previous session', () => {
    const { map, created } = sessions();
    map.open('a', true);
    map.open('a', true);
    expect(created[0].close).toHaveBeenCalled();
    expect(map.get('a')).toBe(created[1]);
    expect(map.size).toBe(1);
  });

  it('drops the early signals of a peer that left', () => {
    const { map, created } = sessions();
    map.deliver('gone', offer);
    map.close('gone');
    map.open('gone', false);
    expect(created[0].handled).toEqual([]);
  });

  it('keeps early signals across closeSessions (a fresh join) but not across clear (the end of the call)', () => {
    const { map, created } = sessions();
    map.open('old', true);
    map.deliver('new', offer);
    map.closeSessions();
    expect(created[0].close).toHaveBeenCalled();
    expect(map.peerIds()).toEqual([]);
    map.open('new', false);
    expect(created[1].handled).toEqual([offer]);

    map.deliver('later', offer);
    map.clear();
    expect(created[1].close).toHaveBeenCalled();
    map.open('later', false);
    expect(created[2].handled).toEqual([]);
  });
});
