import type { MediaState } from '@mesh-meet/protocol';
import { type AdmitOptions, type AdmitResult, type Member, MembershipStore, type SignalRoute } from './membership.store';

/**
 * Membership for a single server process (no REDIS_URL). Here the process is
 * the whole deployment, so its memory is the source of truth; with several
 * processes the Redis store is used instead. No method awaits before it is
 * done, so each one is atomic.
 */
export class MemoryMembershipStore extends MembershipStore {
  private readonly rooms = new Map<string, Map<string, Member>>();
  /** The seat each connection holds, so a join does not scan every room for it. */
  private readonly seats = new Map<string, Member>();
  /** When each process's heartbeat runs out (epoch ms). */
  private readonly nodeExpiry = new Map<string, number>();

  async admit(member: Member, capacity: number, options: AdmitOptions = {}): Promise<AdmitResult> {
    const held = this.seats.get(member.connectionId);
    const released = held ? [this.drop(held)] : [];
    const room = this.rooms.get(member.roomId);
    if ((room?.size ?? 0) >= capacity && !options.bypassCapacity) {
      return { admitted: false, reason: 'ROOM_FULL', stale: [], released };
    }
    const others = [...(room?.values() ?? [])].map(copy);
    this.put(copy(member));
    return { admitted: true, others, stale: [], released };
  }

  async remove(roomId: string, peerId: string): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    return member ? this.drop(member) : null;
  }

  async clear(roomId: string): Promise<Member[]> {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((member) => this.drop(member));
  }

  async get(roomId: string, peerId: string): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    return member ? copy(member) : null;
  }

  async signalRoute(roomId: string, from: string, to: string): Promise<SignalRoute> {
    const room = this.rooms.get(roomId);
    return { senderPresent: room?.has(from) ?? false, targetConnectionId: room?.get(to)?.connectionId ?? null };
  }

  async list(roomId: string): Promise<Member[]> {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map(copy);
  }

  async count(roomId: string): Promise<number> {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  async setMedia(roomId: string, peerId: string, media: MediaState): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    if (!member) return null;
    member.media = { ...media };
    return copy(member);
  }

  async rebind(roomId: string, peerId: string, connectionId: string, nodeId: string): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    if (!member) return null;
    this.drop(member);
    this.put({ ...member, connectionId, nodeId });
    return this.get(roomId, peerId);
  }

  async removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    if (!member || member.connectionId !== connectionId) return null;
    return this.drop(member);
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<void> {
    this.nodeExpiry.set(nodeId, Date.now() + ttlMs);
  }

  async sweepDeadNodes(): Promise<Member[]> {
    const now = Date.now();
    return this.dropWhere((member) => (this.nodeExpiry.get(member.nodeId) ?? 0) <= now);
  }

  async removeNode(nodeId: string): Promise<Member[]> {
    return this.dropWhere((member) => member.nodeId === nodeId);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  private put(member: Member): void {
    const room = this.rooms.get(member.roomId) ?? new Map<string, Member>();
    room.set(member.peerId, member);
    this.rooms.set(member.roomId, room);
    this.seats.set(member.connectionId, member);
  }

  /** Removes a stored member from its room and the connection index; returns a copy. */
  private drop(member: Member): Member {
    const room = this.rooms.get(member.roomId);
    room?.delete(member.peerId);
    if (room?.size === 0) this.rooms.delete(member.roomId);
    if (this.seats.get(member.connectionId) === member) this.seats.delete(member.connectionId);
    return copy(member);
  }

  private dropWhere(predicate: (member: Member) => boolean): Member[] {
    const doomed = [...this.rooms.values()].flatMap((room) => [...room.values()]).filter(predicate);
    return doomed.map((member) => this.drop(member));
  }
}

function copy(member: Member): Member {
  return { ...member, media: { ...member.media } };
}
