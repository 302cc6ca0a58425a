import { type JoinRequestRecord, type RequestResult, WaitingRoomStore } from './waiting-room.store';

const alive = (request: JoinRequestRecord, now: Date) => Date.parse(request.expiresAt) > now.getTime();

/** The waiting rooms of a single process (no Redis). Expired entries are dropped when they are next looked at. */
export class MemoryWaitingRoomStore extends WaitingRoomStore {
  /** roomId -> requestId -> request, in insertion (= request) order. */
  private readonly rooms = new Map<string, Map<string, JoinRequestRecord>>();
  /** `${roomId} ${userId}` -> expiry (ms since epoch). */
  private readonly admitted = new Map<string, number>();
  private readonly denied = new Map<string, number>();

  async request(candidate: JoinRequestRecord): Promise<RequestResult> {
    this.prune(candidate.roomId, new Date());
    const room = this.room(candidate.roomId);
    const existing = [...room.values()].find((request) => request.userId === candidate.userId);
    if (existing) {
      const moved = { ...existing, nodeId: candidate.nodeId, connectionId: candidate.connectionId, name: candidate.name };
      room.set(existing.requestId, moved);
      return { request: { ...moved }, created: false };
    }
    room.set(candidate.requestId, { ...candidate });
    return { request: { ...candidate }, created: true };
  }

  async list(roomId: string, now = new Date()): Promise<JoinRequestRecord[]> {
    this.prune(roomId, now);
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((request) => ({ ...request }));
  }

  async take(roomId: string, requestId: string, now = new Date()): Promise<JoinRequestRecord | null> {
    this.prune(roomId, now);
    const room = this.rooms.get(roomId);
    const request = room?.get(requestId);
    if (!room || !request) return null;
    room.delete(requestId);
    if (room.size === 0) this.rooms.delete(roomId);
    return request;
  }

  async takeAll(roomId: string, now = new Date()): Promise<JoinRequestRecord[]> {
    const requests = await this.list(roomId, now);
    this.rooms.delete(roomId);
    return requests;
  }

  async withdraw(roomId: string, requestId: string, connectionId: string): Promise<JoinRequestRecord | null> {
    const room = this.rooms.get(roomId);
    const request = room?.get(requestId);
    if (!room || !request || request.connectionId !== connectionId) return null;
    room.delete(requestId);
    if (room.size === 0) this.rooms.delete(roomId);
    return request;
  }

  async markAdmitted(roomId: string, userId: string, ttlMs: number): Promise<void> {
    this.admitted.set(`${roomId} ${userId}`, Date.now() + ttlMs);
  }

  async consumeAdmission(roomId: string, userId: string): Promise<boolean> {
    const key = `${roomId} ${userId}`;
    const until = this.admitted.get(key);
    this.admitted.delete(key);
    return until !== undefined && until > Date.now();
  }

  async markDenied(roomId: string, userId: string, ttlMs: number): Promise<void> {
    this.denied.set(`${roomId} ${userId}`, Date.now() + ttlMs);
  }

  async isDenied(roomId: string, userId: string): Promise<boolean> {
    const key = `${roomId} ${userId}`;
    const until = this.denied.get(key);
    if (until !== undefined && until <= Date.now()) this.denied.delete(key);
    return until !== undefined && until > Date.now();
  }

  private room(roomId: string): Map<string, JoinRequestRecord> {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    return room;
  }

  private prune(roomId: string, now: Date): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    for (const [requestId, request] of room) if (!alive(request, now)) room.delete(requestId);
    if (room.size === 0) this.rooms.delete(roomId);
  }
}
