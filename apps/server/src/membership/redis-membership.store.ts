import type { MediaState } from '@mesh-meet/protocol';
import type { Redis } from 'ioredis';
import { type AdmitResult, type Member, MembershipStore, type SignalRoute } from './membership.store';

const PREFIX = 'mm:';
/* The room id sits in braces (a hash tag) so one room's keys stay in one slot. */
const roomKey = (roomId: string) => `${PREFIX}room:{${roomId}}:members`;
const nodeKey = (nodeId: string) => `${PREFIX}node:${nodeId}`;

/*
 * Admit in one script so that the capacity check and the insert cannot
 * interleave with another process's join. Members whose process stopped
 * heartbeating are dropped first (a crashed node must not hold seats).
 * KEYS[1] room hash; ARGV: peerId, member JSON, capacity, node key prefix.
 */
const ADMIT = `
local all = redis.call('HGETALL', KEYS[1])
local others, stale = {}, {}
for i = 1, #all, 2 do
  local m = cjson.decode(all[i + 1])
  if redis.call('EXISTS', ARGV[4] .. m.nodeId) == 0 then
    redis.call('HDEL', KEYS[1], all[i])
    table.insert(stale, all[i + 1])
  else
    table.insert(others, all[i + 1])
  end
end
if #others >= tonumber(ARGV[3]) then
  return {0, others, stale}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {1, others, stale}
`;

/* KEYS[1] room hash; ARGV[1] peerId. Returns the removed member JSON or nil. */
const REMOVE = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if value then redis.call('HDEL', KEYS[1], ARGV[1]) end
return value
`;

/* KEYS[1] room hash. Returns every member JSON and deletes the room. */
const CLEAR = `
local values = redis.call('HVALS', KEYS[1])
redis.call('DEL', KEYS[1])
return values
`;

/* KEYS[1] room hash; ARGV[1] peerId, ARGV[2] media JSON. Never re-adds a removed member. */
const SET_MEDIA = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return nil end
local m = cjson.decode(value)
m.media = cjson.decode(ARGV[2])
local updated = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return updated
`;

/* KEYS[1] room hash; ARGV[1] peerId, ARGV[2] connectionId, ARGV[3] nodeId. */
const REBIND = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return nil end
local m = cjson.decode(value)
m.connectionId = ARGV[2]
m.nodeId = ARGV[3]
local updated = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return updated
`;

/* KEYS[1] room hash; ARGV[1] peerId, ARGV[2] connectionId. */
const REMOVE_IF_CONNECTION = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return nil end
if cjson.decode(value).connectionId ~= ARGV[2] then return nil end
redis.call('HDEL', KEYS[1], ARGV[1])
return value
`;

/*
 * KEYS[1] room hash; ARGV[1] sender, ARGV[2] addressed peer. Returns
 * {sender present (0/1), the addressed member's connectionId or nil}. One
 * command for every relayed signal: MULTI/HEXISTS/HEXISTS/EXEC was four
 * commands and four socket writes from ioredis each time (the relay bench's
 * profile showed it as over a quarter of a process's busy time on Redis).
 */
const SIGNAL_ROUTE = `
local sender = redis.call('HEXISTS', KEYS[1], ARGV[1])
local value = redis.call('HGET', KEYS[1], ARGV[2])
if not value then return {sender} end
return {sender, cjson.decode(value).connectionId}
`;

interface MembershipCommands {
  mmAdmit(key: string, peerId: string, member: string, capacity: number, nodePrefix: string): Promise<[number, string[], string[]]>;
  mmRemove(key: string, peerId: string): Promise<string | null>;
  mmClear(key: string): Promise<string[]>;
  mmSetMedia(key: string, peerId: string, media: string): Promise<string | null>;
  mmRebind(key: string, peerId: string, connectionId: string, nodeId: string): Promise<string | null>;
  mmRemoveIfConnection(key: string, peerId: string, connectionId: string): Promise<string | null>;
  mmSignalRoute(key: string, from: string, to: string): Promise<[number, string?]>;
}

/** Membership shared by every server process through one Redis. */
export class RedisMembershipStore extends MembershipStore {
  private readonly redis: Redis & MembershipCommands;

  constructor(redis: Redis) {
    super();
    redis.defineCommand('mmAdmit', { numberOfKeys: 1, lua: ADMIT });
    redis.defineCommand('mmRemove', { numberOfKeys: 1, lua: REMOVE });
    redis.defineCommand('mmClear', { numberOfKeys: 1, lua: CLEAR });
    redis.defineCommand('mmSetMedia', { numberOfKeys: 1, lua: SET_MEDIA });
    redis.defineCommand('mmRebind', { numberOfKeys: 1, lua: REBIND });
    redis.defineCommand('mmRemoveIfConnection', { numberOfKeys: 1, lua: REMOVE_IF_CONNECTION });
    redis.defineCommand('mmSignalRoute', { numberOfKeys: 1, lua: SIGNAL_ROUTE });
    this.redis = redis as Redis & MembershipCommands;
  }

  async admit(member: Member, capacity: number): Promise<AdmitResult> {
    const [admitted, others, stale] = await this.redis.mmAdmit(
      roomKey(member.roomId),
      member.peerId,
      JSON.stringify(member),
      capacity,
      nodeKey(''),
    );
    const staleMembers = stale.map(decode);
    return admitted === 1
      ? { admitted: true, others: others.map(decode), stale: staleMembers }
      : { admitted: false, reason: 'ROOM_FULL', stale: staleMembers };
  }

  async remove(roomId: string, peerId: string): Promise<Member | null> {
    const value = await this.redis.mmRemove(roomKey(roomId), peerId);
    return value ? decode(value) : null;
  }

  async clear(roomId: string): Promise<Member[]> {
    return (await this.redis.mmClear(roomKey(roomId))).map(decode);
  }

  async get(roomId: string, peerId: string): Promise<Member | null> {
    const value = await this.redis.hget(roomKey(roomId), peerId);
    return value ? decode(value) : null;
  }

  async signalRoute(roomId: string, from: string, to: string): Promise<SignalRoute> {
    const [sender, connectionId] = await this.redis.mmSignalRoute(roomKey(roomId), from, to);
    return { senderPresent: sender === 1, targetConnectionId: connectionId ?? null };
  }

  async list(roomId: string): Promise<Member[]> {
    return (await this.redis.hvals(roomKey(roomId))).map(decode);
  }

  async count(roomId: string): Promise<number> {
    return this.redis.hlen(roomKey(roomId));
  }

  async setMedia(roomId: string, peerId: string, media: MediaState): Promise<Member | null> {
    const value = await this.redis.mmSetMedia(roomKey(roomId), peerId, JSON.stringify(media));
    return value ? decode(value) : null;
  }

  async rebind(roomId: string, peerId: string, connectionId: string, nodeId: string): Promise<Member | null> {
    const value = await this.redis.mmRebind(roomKey(roomId), peerId, connectionId, nodeId);
    return value ? decode(value) : null;
  }

  async removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null> {
    const value = await this.redis.mmRemoveIfConnection(roomKey(roomId), peerId, connectionId);
    return value ? decode(value) : null;
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<void> {
    await this.redis.set(nodeKey(nodeId), Date.now().toString(), 'PX', ttlMs);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}

function decode(value: string): Member {
  return JSON.parse(value) as Member;
}
