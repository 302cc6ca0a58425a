import type { MediaState } from '@mesh-meet/protocol';
import { type AdmitResult, type Member, MembershipStore, type SignalRoute } from './membership.store';

/**
 * Membership for a single server process (no REDIS_URL). Here the process is
 * the whole deployment, so its memory is the source of truth; with several
 * processes the Redis store is used instead.
 */
export class MemoryMembershipStore extends MembershipStore {
  private readonly rooms = new Map<string, Map<string, Member>>();

  async admit(member: Member, capacity: number): Promise<AdmitResult> {
    const room = this.rooms.get(member.roomId) ?? new Map<string, Member>();
    if (room.size >= capacity) return { admitted: false, reason: 'ROOM_FULL', stale: [] };
    const others = [...room.values()].map(copy);
    room.set(member.peerId, copy(member));
    this.rooms.set(member.roomId, room);
    return { admitted: true, others, stale: [] };
  }

  async remove(roomId: string, peerId: string): Promise<Member | null> {
    const room = this.rooms.get(roomId);
    const member = room?.get(peerId);
    if (!room || !member) return null;
    room.delete(peerId);
    if (room.size === 0) this.rooms.delete(roomId);
    return member;
  }

  async clear(roomId: string): Promise<Member[]> {
    const members = [...(this.rooms.get(roomId)?.values() ?? [])];
    this.rooms.delete(roomId);
    return members;
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
    member.connectionId = connectionId;
    member.nodeId = nodeId;
    return copy(member);
  }

  async removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null> {
    const member = this.rooms.get(roomId)?.get(peerId);
    if (!member || member.connectionId !== connectionId) return null;
    return this.remove(roomId, peerId);
  }

  async heartbeat(): Promise<void> {
    // One process: it is alive while it runs.
  }

  async ping(): Promise<boolean> {
    return true;
  }
}

function copy(member: Member): Member {
  return { ...member, media: { ...member.media } };
}
