/** A guest waiting for the host in an `ask` room, as every server process sees it. */
export interface JoinRequestRecord {
  requestId: string;
  roomId: string;
  /** The identity the request is for: one request per identity per room. */
  userId: string;
  name: string;
  /** The server process holding the guest's connection, and that connection (socket id). */
  nodeId: string;
  connectionId: string;
  /** ISO 8601. */
  requestedAt: string;
  /** ISO 8601; a request past it is gone (lists drop it, nobody can admit it). */
  expiresAt: string;
}

/** `created: false` when the identity already had a request waiting in the room (it now names the new connection). */
export interface RequestResult {
  request: JoinRequestRecord;
  created: boolean;
}

/**
 * The waiting rooms: who asks to join which room, who was admitted (for the
 * join that follows) and who was turned down (for a while). Shared by every
 * server process (Redis) or held by the only one (memory). Each operation is
 * atomic, so two hosts answering one request at once cannot both get it.
 */
export abstract class WaitingRoomStore {
  /**
   * Records `candidate` unless its identity already waits in that room: then
   * the existing request is returned, moved to the candidate's connection
   * (its id and expiry stay).
   */
  abstract request(candidate: JoinRequestRecord): Promise<RequestResult>;
  /**
   * Requests waiting now, oldest first: not expired, and (with several
   * processes) held by a process that is alive.
   */
  abstract list(roomId: string, now?: Date): Promise<JoinRequestRecord[]>;
  /** Removes and returns one waiting request; null when it is not (or no longer) there, or expired. */
  abstract take(roomId: string, requestId: string, now?: Date): Promise<JoinRequestRecord | null>;
  /** Removes and returns every request of the room that has not expired. */
  abstract takeAll(roomId: string, now?: Date): Promise<JoinRequestRecord[]>;
  /** Removes a request only if still held by `connectionId` (a newer connection of the same identity keeps it). */
  abstract withdraw(roomId: string, requestId: string, connectionId: string): Promise<JoinRequestRecord | null>;
  /** Remembers for `ttlMs` that the host let `userId` in: the next join of that identity takes a seat. */
  abstract markAdmitted(roomId: string, userId: string, ttlMs: number): Promise<void>;
  /** Uses an admission up; false when there is none (never given, used, or expired). */
  abstract consumeAdmission(roomId: string, userId: string): Promise<boolean>;
  /** Remembers for `ttlMs` that the host turned `userId` down. */
  abstract markDenied(roomId: string, userId: string, ttlMs: number): Promise<void>;
  abstract isDenied(roomId: string, userId: string): Promise<boolean>;
}
