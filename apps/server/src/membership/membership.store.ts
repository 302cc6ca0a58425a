import type { MediaState, Role } from '@mesh-meet/protocol';

/** One person in one room, as every server process sees them. */
export interface Member {
  peerId: string;
  roomId: string;
  userId: string;
  name: string;
  role: Role;
  media: MediaState;
  /** The attendance row to close when this member goes. */
  participationId: string;
  /** The server process holding the connection. */
  nodeId: string;
  /** Changes when the member resumes on a new connection; a stale removal names the old one. */
  connectionId: string;
  /** sha256 of the resume token (hex). */
  resumeTokenHash: string;
  joinedAt: string;
}

export interface SignalRoute {
  senderPresent: boolean;
  /** The addressed member's current connection (socket id), or null when they are not in the room. */
  targetConnectionId: string | null;
}

export type AdmitResult =
  /** `others`: who was already in the room; `stale`: members of dead processes removed on the way. */
  | { admitted: true; others: Member[]; stale: Member[] }
  | { admitted: false; reason: 'ROOM_FULL'; stale: Member[] };

/**
 * Who is in which room: the source of truth for membership and capacity,
 * shared by every server process (Redis) or held by the only one (memory).
 * Each operation is atomic, so two joins racing for the last seat cannot both win.
 */
export abstract class MembershipStore {
  /** Adds `member` unless the room already holds `capacity` live members. */
  abstract admit(member: Member, capacity: number): Promise<AdmitResult>;
  /** Removes one member; null when they were not (or no longer) there, so only one caller announces a departure. */
  abstract remove(roomId: string, peerId: string): Promise<Member | null>;
  /** Removes everyone (the meeting ended) and returns who was there. */
  abstract clear(roomId: string): Promise<Member[]>;
  abstract get(roomId: string, peerId: string): Promise<Member | null>;
  /**
   * The check behind every relayed signal, in one call: whether the sender
   * is still a member, and the connection of the addressed member (null when
   * they are not in the room), so the relay can deliver locally when that
   * connection is on this process.
   */
  abstract signalRoute(roomId: string, from: string, to: string): Promise<SignalRoute>;
  abstract list(roomId: string): Promise<Member[]>;
  abstract count(roomId: string): Promise<number>;
  abstract setMedia(roomId: string, peerId: string, media: MediaState): Promise<Member | null>;
  /** Moves a member to a new connection (a resume); null when they are no longer there. */
  abstract rebind(roomId: string, peerId: string, connectionId: string, nodeId: string): Promise<Member | null>;
  /** Removes a member only if still on `connectionId`: a grace period that ends after a resume removes nobody. */
  abstract removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null>;
  /** Marks this process alive; members of processes not alive are dropped at the next admit. */
  abstract heartbeat(nodeId: string, ttlMs: number): Promise<void>;
  abstract ping(): Promise<boolean>;
}
