import type { MediaState, Role } from '@mesh-meet/protocol';

/** One person in one room, as every server process sees them. */
export interface Member {
  peerId: string;
  roomId: string;
  userId: string;
  name: string;
  role: Role;
  media: MediaState;
  /** Set when the member asked to make the first offer to those already in the room (join's `offersFirst`). */
  offersFirst?: true;
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

/**
 * `others`: who was already in the room; `stale`: members of dead processes
 * removed on the way; `released`: the seat(s) this member's connection held
 * before (in any room), freed in the same atomic step whether or not this
 * admit succeeds. The caller announces `stale` and `released` as departures.
 */
export type AdmitResult =
  | { admitted: true; others: Member[]; stale: Member[]; released: Member[] }
  | { admitted: false; reason: 'ROOM_FULL'; stale: Member[]; released: Member[] };

export interface AdmitOptions {
  /** The host key holder: capacity never keeps them out of their own meeting. */
  bypassCapacity?: boolean;
}

/**
 * Who is in which room: the source of truth for membership and capacity,
 * shared by every server process (Redis) or held by the only one (memory).
 * Each operation is atomic, so two joins racing for the last seat cannot both win.
 */
export abstract class MembershipStore {
  /**
   * Adds `member` unless the room already holds `capacity` live members (or
   * `bypassCapacity`). One seat per connection: a seat already held by
   * `member.connectionId` is freed first and returned in `released`.
   */
  abstract admit(member: Member, capacity: number, options?: AdmitOptions): Promise<AdmitResult>;
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
  /**
   * Moves a member to a new connection (a resume); null when they are no longer there.
   * It frees no other seat: a connection that already holds one leaves it first (the session does).
   */
  abstract rebind(roomId: string, peerId: string, connectionId: string, nodeId: string): Promise<Member | null>;
  /** Removes a member only if still on `connectionId`: a grace period that ends after a resume removes nobody. */
  abstract removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null>;
  /** Marks this process alive for `ttlMs`; members of processes not alive are dropped by the next admit or sweep. */
  abstract heartbeat(nodeId: string, ttlMs: number): Promise<void>;
  /**
   * Removes, in every room, the members of processes whose heartbeat ran out
   * (or never came), and returns them. Atomic: of several processes sweeping
   * at once, one gets each member, so a departure is announced once.
   */
  abstract sweepDeadNodes(): Promise<Member[]>;
  /**
   * Removes every member held by `nodeId`, alive or not: a process starting
   * under the NODE_ID of its previous run drops what that run left.
   */
  abstract removeNode(nodeId: string): Promise<Member[]>;
  abstract ping(): Promise<boolean>;
}
