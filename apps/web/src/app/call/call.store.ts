import { Injectable, computed, signal } from '@angular/core';
import type { ChatMessage, ErrorCode, MediaState, PeerInfo, Role, RoomSummary } from '@mesh-meet/protocol';
import type { FailureReason, PeerHealth } from './peer-session';

export type CallPhase = 'lobby' | 'joining' | 'in-call' | 'left' | 'removed' | 'ended';

export interface RemotePeer {
  peerId: string;
  name: string;
  role: Role;
  media: MediaState;
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
  kind: 'joined' | 'left';
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
  private readonly _error = signal<ErrorCode | 'network' | null>(null);
  private readonly _activeSpeaker = signal<string | null>(null);
  private readonly _notices = signal<Notice[]>([]);
  private readonly _audioBlocked = signal(false);
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
  readonly isHost = computed(() => this._self()?.role === 'host');
  readonly participantCount = computed(() => this._peers().length + (this._self() ? 1 : 0));

  setPhase(phase: CallPhase): void {
    this._phase.set(phase);
  }

  setError(error: ErrorCode | 'network' | null): void {
    this._error.set(error);
  }

  joined(self: Self, room: RoomSummary, peers: PeerInfo[]): void {
    this._self.set(self);
    this._room.set(room);
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

  setLocked(locked: boolean): void {
    this._room.update((room) => (room ? { ...room, locked, access: locked ? 'locked' : 'open' } : room));
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

  private notify(kind: Notice['kind'], name: string): void {
    const notice = { id: ++this.noticeId, kind, name };
    this._notices.update((notices) => [...notices, notice].slice(-3));
  }
}
