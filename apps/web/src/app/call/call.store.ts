import { Injectable, computed, signal } from '@angular/core';
import type { Access, ChatMessage, ErrorCode, MediaState, PeerInfo, Role, RoomSummary } from '@mesh-meet/protocol';
import type { FailureReason, PeerHealth } from './peer-session';

/**
 * `waiting`: asked to join a meeting whose host admits people, and not let in
 * yet (the lobby stays on screen); `denied`: the host did not let them in.
 */
export type CallPhase = 'lobby' | 'joining' | 'waiting' | 'in-call' | 'left' | 'removed' | 'ended' | 'denied';

/**
 * Why the last attempt or the call failed: a protocol error code, the server
 * not reached (`network`), or a join request that nobody answered in time.
 */
export type CallError = ErrorCode | 'network' | 'request-expired';

/** Who may join: anyone with the link (`open`), those the host admits (`ask`), or nobody new (`locked`). */
export type AccessMode = Access;
export const ACCESS_MODES: readonly AccessMode[] = ['open', 'ask', 'locked'];

/** Someone in the waiting room, as the host sees them. */
export interface JoinRequestView {
  requestId: string;
  name: string;
}

export interface RemotePeer {
  peerId: string;
  name: string;
  role: Role;
  media: MediaState;
  /** The peer makes the first offer and every ICE restart of its pairs (a Firefox browser, see ice-control.ts). */
  offersFirst?: boolean;
  stream: MediaStream | null;
  health: PeerHealth;
  /** Why the connection is reconnecting or failed (see FailureReason); absent while it is fine or not known. */
  failure?: FailureReason;
  /** The pair's security code (see security-code.ts); absent until the connection is up. */
  securityCode?: string;
}

export interface Self {
  peerId: string;
  userId: string;
  role: Role;
  name: string;
}

export interface Notice {
  id: number;
  kind: 'joined' | 'left' | 'knocked';
  name: string;
}

/**
 * The call as the UI sees it: readonly signals, changed only through the
 * methods below (by the CallService). Components read; they never write.
 */
@Injectable()
export class CallStore {
  private readonly _phase = signal<CallPhase>('lobby');
  private readonly _self = signal<Self | null>(null);
  private readonly _room = signal<RoomSummary | null>(null);
  private readonly _peers = signal<RemotePeer[]>([]);
  private readonly _chat = signal<ChatMessage[]>([]);
  private readonly _error = signal<CallError | null>(null);
  private readonly _activeSpeaker = signal<string | null>(null);
  private readonly _notices = signal<Notice[]>([]);
  private readonly _audioBlocked = signal(false);
  private readonly _access = signal<AccessMode>('open');
  private readonly _joinRequests = signal<JoinRequestView[]>([]);
  private readonly _hostPresent = signal(true);
  private readonly _mutedBy = signal<string | null>(null);
  private readonly _knocks = signal(0);
  private noticeId = 0;

  readonly phase = this._phase.asReadonly();
  readonly self = this._self.asReadonly();
  readonly room = this._room.asReadonly();
  readonly peers = this._peers.asReadonly();
  readonly chat = this._chat.asReadonly();
  readonly error = this._error.asReadonly();
  readonly activeSpeaker = this._activeSpeaker.asReadonly();
  readonly notices = this._notices.asReadonly();
  readonly audioBlocked = this._audioBlocked.asReadonly();
  /** The meeting's access mode, as the server last said it. */
  readonly access = this._access.asReadonly();
  /** The waiting room, for the host: oldest first. Empty for guests. */
  readonly joinRequests = this._joinRequests.asReadonly();
  /** While waiting: whether a host is in the meeting to let people in. */
  readonly hostPresent = this._hostPresent.asReadonly();
  /** Who muted this person's microphone, until they turn it back on (or close the notice). */
  readonly mutedBy = this._mutedBy.asReadonly();
  /** Counts requests that arrived while in the call (not those already waiting when the host came): each one is a cue. */
  readonly knocks = this._knocks.asReadonly();
  readonly isHost = computed(() => this._self()?.role === 'host');
  readonly participantCount = computed(() => this._peers().length + (this._self() ? 1 : 0));

  setPhase(phase: CallPhase): void {
    this._phase.set(phase);
  }

  setError(error: CallError | null): void {
    this._error.set(error);
  }

  joined(self: Self, room: RoomSummary, peers: PeerInfo[]): void {
    this._self.set(self);
    this._room.set(room);
    this._access.set(room.access);
    this._mutedBy.set(null);
    this._peers.set(peers.map((peer) => ({ ...peer, stream: null, health: 'connecting' as const })));
    this._error.set(null);
    this._phase.set('in-call');
  }

  addPeer(peer: PeerInfo): void {
    this._peers.update((peers) => [
      ...peers.filter((existing) => existing.peerId !== peer.peerId),
      { ...peer, stream: null, health: 'connecting' },
    ]);
    this.notify('joined', peer.name);
  }

  removePeer(peerId: string): void {
    const peer = this._peers().find((existing) => existing.peerId === peerId);
    if (!peer) return;
    this._peers.update((peers) => peers.filter((existing) => existing.peerId !== peerId));
    if (this._activeSpeaker() === peerId) this._activeSpeaker.set(null);
    this.notify('left', peer.name);
  }

  updatePeer(peerId: string, change: Partial<Pick<RemotePeer, 'media' | 'stream' | 'health' | 'failure' | 'securityCode'>>): void {
    this._peers.update((peers) => peers.map((peer) => (peer.peerId === peerId ? { ...peer, ...change } : peer)));
  }

  /** The access mode changed (the host chose it here or elsewhere); `locked` follows it. */
  setAccess(access: AccessMode): void {
    this._access.set(access);
    this._room.update((room) => (room ? { ...room, access, locked: access === 'locked' } : room));
  }

  /** Waiting (or not any more) for a host who is not in the meeting yet. */
  setHostPresent(present: boolean): void {
    this._hostPresent.set(present);
  }

  /**
   * The waiting room as the server last listed it (it sends the whole list at
   * each change). Someone new on it while the host is in the call is
   * announced and cued; the list a host finds on arrival is not: nobody just
   * knocked, they were already waiting.
   */
  setJoinRequests(requests: JoinRequestView[]): void {
    const known = new Set(this._joinRequests().map((request) => request.requestId));
    const arrived = requests.filter((request) => !known.has(request.requestId));
    this._joinRequests.set(requests);
    if (this._phase() !== 'in-call' || arrived.length === 0) return;
    this._knocks.update((count) => count + arrived.length);
    for (const request of arrived) this.notify('knocked', request.name);
  }

  /** The host muted this person: who did it, shown until they unmute themselves. */
  setMutedBy(name: string | null): void {
    this._mutedBy.set(name);
  }

  addChat(message: ChatMessage): void {
    // The last 200 messages are plenty for a meeting and keep the list cheap.
    this._chat.update((messages) => [...messages, message].slice(-200));
  }

  setActiveSpeaker(peerId: string | null): void {
    if (this._activeSpeaker() !== peerId) this._activeSpeaker.set(peerId);
  }

  setAudioBlocked(blocked: boolean): void {
    this._audioBlocked.set(blocked);
  }

  dismissNotice(id: number): void {
    this._notices.update((notices) => notices.filter((notice) => notice.id !== id));
  }

  /** Everything of one call that must not leak into the next (after leaving and rejoining). */
  resetCallState(): void {
    this._joinRequests.set([]);
    this._mutedBy.set(null);
    this._hostPresent.set(true);
  }

  private notify(kind: Notice['kind'], name: string): void {
    const notice = { id: ++this.noticeId, kind, name };
    this._notices.update((notices) => [...notices, notice].slice(-3));
  }
}
