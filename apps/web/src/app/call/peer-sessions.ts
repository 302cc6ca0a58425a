import type { SignalData } from '@mesh-meet/protocol';
import type { PeerSession } from './peer-session';

/** Signals for a peer we have no session with yet (an offer racing our join ack). */
export const MAX_BUFFERED_SIGNALS = 200;

/**
 * The call's PeerSession per remote peer, and the signals of peers not known yet.
 *
 * The server tells the members `peer-joined` before it acks the newcomer's
 * `join`, so a member's offer can reach the newcomer before the ack lists that
 * member. Such signals wait here (up to MAX_BUFFERED_SIGNALS per peer) and are
 * handed to the session, in order, when it opens.
 */
export class PeerSessions {
  private readonly sessions = new Map<string, PeerSession>();
  private readonly buffered = new Map<string, SignalData[]>();

  constructor(private readonly create: (peerId: string, initiator: boolean) => PeerSession) {}

  get size(): number {
    return this.sessions.size;
  }

  get(peerId: string): PeerSession | undefined {
    return this.sessions.get(peerId);
  }

  has(peerId: string): boolean {
    return this.sessions.has(peerId);
  }

  peerIds(): string[] {
    return [...this.sessions.keys()];
  }

  all(): PeerSession[] {
    return [...this.sessions.values()];
  }

  /** A new session to `peerId` (closing any previous one), fed what arrived before it existed. */
  open(peerId: string, initiator: boolean): PeerSession {
    this.sessions.get(peerId)?.close();
    const session = this.create(peerId, initiator);
    this.sessions.set(peerId, session);
    const early = this.buffered.get(peerId) ?? [];
    this.buffered.delete(peerId);
    for (const data of early) void session.handleSignal(data);
    return session;
  }

  /** Hands a signal to its peer's session, or keeps it until that session opens. */
  deliver(from: string, data: SignalData): void {
    const session = this.sessions.get(from);
    if (session) {
      void session.handleSignal(data);
      return;
    }
    const queue = this.buffered.get(from) ?? [];
    if (queue.length < MAX_BUFFERED_SIGNALS) queue.push(data);
    this.buffered.set(from, queue);
  }

  /** The peer left: its session and anything it sent early go. */
  close(peerId: string): void {
    this.sessions.get(peerId)?.close();
    this.sessions.delete(peerId);
    this.buffered.delete(peerId);
  }

  /**
   * Closes every session but keeps early signals: after a fresh (not resumed)
   * join, the others' offers may already be here, ahead of the new ack.
   */
  closeSessions(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  /** The call is over: nothing is kept. */
  clear(): void {
    this.closeSessions();
    this.buffered.clear();
  }
}
