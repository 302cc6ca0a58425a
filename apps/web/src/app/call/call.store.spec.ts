import { TestBed } from '@angular/core/testing';
import { CallStore } from './call.store';

const media = { audio: true, video: true, screen: false };

describe('CallStore', () => {
  let store: CallStore;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [CallStore] });
    store = TestBed.inject(CallStore);
  });

  it('starts in the lobby with nobody', () => {
    expect(store.phase()).toBe('lobby');
    expect(store.participantCount()).toBe(0);
  });

  it('on join holds self, room and the peers already there, and counts everyone', () => {
    store.joined(
      { peerId: 'me', userId: 'u', role: 'host', name: 'Me' },
      { roomId: 'abc-defg-hij', name: 'Sync', access: 'open', locked: false, maxParticipants: 6 },
      [{ peerId: 'p1', name: 'One', role: 'guest', media }],
    );
    expect(store.phase()).toBe('in-call');
    expect(store.isHost()).toBe(true);
    expect(store.peers()).toEqual([{ peerId: 'p1', name: 'One', role: 'guest', media, stream: null, health: 'connecting' }]);
    expect(store.participantCount()).toBe(2);
  });

  it('adds and removes peers with a notice each, and forgets the speaker who left', () => {
    store.joined({ peerId: 'me', userId: 'u', role: 'guest', name: 'Me' }, { roomId: 'r', name: 'n', access: 'open', locked: false, maxParticipants: 6 }, []);
    store.addPeer({ peerId: 'p2', name: 'Two', role: 'guest', media });
    store.setActiveSpeaker('p2');
    store.removePeer('p2');
    expect(store.peers()).toEqual([]);
    expect(store.activeSpeaker()).toBeNull();
    expect(store.notices().map((notice) => [notice.kind, notice.name])).toEqual([
      ['joined', 'Two'],
      ['left', 'Two'],
    ]);
    store.removePeer('unknown');
    expect(store.notices()).toHaveLength(2);
  });

  it('updates one peer without touching the others', () => {
    store.joined({ peerId: 'me', userId: 'u', role: 'guest', name: 'Me' }, { roomId: 'r', name: 'n', access: 'open', locked: false, maxParticipants: 6 }, [
      { peerId: 'a', name: 'A', role: 'guest', media },
      { peerId: 'b', name: 'B', role: 'guest', media },
    ]);
    store.updatePeer('a', { media: { audio: false, video: false, screen: false }, health: 'connected' });
    expect(store.peers()[0]).toMatchObject({ media: { audio: false, video: false }, health: 'connected' });
    expect(store.peers()[1]).toMatchObject({ media, health: 'connecting' });
  });

  it('keeps the last 200 chat messages and follows the lock', () => {
    store.joined({ peerId: 'me', userId: 'u', role: 'guest', name: 'Me' }, { roomId: 'r', name: 'n', access: 'open', locked: false, maxParticipants: 6 }, []);
    for (let i = 0; i < 205; i += 1) {
      store.addChat({ id: String(i), from: 'me', name: 'Me', text: `m${i}`, sentAt: new Date().toISOString() });
    }
    expect(store.chat()).toHaveLength(200);
    expect(store.chat()[0].text).toBe('m5');
    store.setAccess('locked');
    expect(store.room()?.locked).toBe(true);
  });

  describe('the waiting room', () => {
    const at = (requestId: string, name: string) => ({ requestId, name });

    it('takes the list a host finds on arrival without announcing anyone', () => {
      store.setPhase('joining');
      store.setJoinRequests([at('r1', 'Ken')]);
      expect(store.joinRequests()).toEqual([at('r1', 'Ken')]);
      expect(store.knocks()).toBe(0);
      expect(store.notices()).toEqual([]);
    });

    it('announces and counts each newcomer once while in the call, not those already listed', () => {
      store.joined({ peerId: 'me', userId: 'u', role: 'host', name: 'Me' }, { roomId: 'r', name: 'n', access: 'ask', locked: false, maxParticipants: 6 }, []);
      store.setJoinRequests([at('r1', 'Ken')]);
      store.setJoinRequests([at('r1', 'Ken'), at('r2', 'Mia'), at('r3', 'Leo')]);
      store.setJoinRequests([at('r2', 'Mia'), at('r3', 'Leo')]);
      expect(store.knocks()).toBe(3);
      expect(store.notices().map((notice) => [notice.kind, notice.name])).toEqual([
        ['knocked', 'Ken'],
        ['knocked', 'Mia'],
        ['knocked', 'Leo'],
      ]);
      expect(store.joinRequests().map((request) => request.name)).toEqual(['Mia', 'Leo']);
    });

    it('forgets the list, the mute notice and the host\'s absence when the call is over', () => {
      store.setJoinRequests([at('r1', 'Ken')]);
      store.setMutedBy('Hana');
      store.setHostPresent(false);
      store.resetCallState();
      expect(store.joinRequests()).toEqual([]);
      expect(store.mutedBy()).toBeNull();
      expect(store.hostPresent()).toBe(true);
    });
  });

  it('takes the access mode from the room and follows its changes, locked with it', () => {
    store.joined({ peerId: 'me', userId: 'u', role: 'host', name: 'Me' }, { roomId: 'r', name: 'n', access: 'ask', locked: false, maxParticipants: 6 }, []);
    expect(store.access()).toBe('ask');
    store.setAccess('locked');
    expect(store.room()?.locked).toBe(true);
    store.setAccess('open');
    expect(store.access()).toBe('open');
    expect(store.room()?.locked).toBe(false);
  });
});
