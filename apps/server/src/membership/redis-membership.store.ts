import type { MediaState } from '@mesh-meet/protocol';
import type { Redis } from 'ioredis';
import { type AdmitOptions, type AdmitResult, type Member, MembershipStore, type SignalRoute } from './membership.store';

const DEFAULT_PREFIX = 'mm:';
/* The room id sits in braces (a hash tag) so one room's keys stay in one slot. */
const roomKey = (prefix: string, roomId: string) => `${prefix}room:{${roomId}}:members`;

/*
 * Besides each room's hash, three indexes make "one seat per connection" and
 * "sweep a dead process in every room" single steps without a KEYS scan:
 *   <prefix>seats              hash: connectionId -> "roomId peerId" (the seat it holds)
 *   <prefix>node-seats:<node>  set of "roomId peerId" a process holds
 *   <prefix>nodes              set of processes that hold (or held) seats
 * and <prefix>node:<node> is a process's heartbeat key (it expires when the process stops).
 * Scripts that touch another room or an index compute those keys from the
 * prefix (ARGV[1]): that needs one Redis, not a cluster, as the adapter does
 * (see redis-connections.ts). Room ids and peer ids never contain spaces.
 */
const LIB = `
local P = ARGV[1]
local function roomKey(roomId) return P .. 'room:{' .. roomId .. '}:members' end
local function seatRef(m) return m.roomId .. ' ' .. m.peerId end
local function index(m)
  redis.call('HSET', P .. 'seats', m.connectionId, seatRef(m))
  redis.call('SADD', P .. 'node-seats:' .. m.nodeId, seatRef(m))
  redis.call('SADD', P .. 'nodes', m.nodeId)
end
local function unindex(m)
  local ref = seatRef(m)
  if redis.call('HGET', P .. 'seats', m.connectionId) == ref then redis.call('HDEL', P .. 'seats', m.connectionId) end
  redis.call('SREM', P .. 'node-seats:' .. m.nodeId, ref)
end
-- Removes one member (only if still on connectionId, when given); returns its JSON or nil.
local function drop(key, peerId, connectionId)
  local value = redis.call('HGET', key, peerId)
  if not value then return nil end
  local m = cjson.decode(value)
  if connectionId and m.connectionId ~= connectionId then return nil end
  redis.call('HDEL', key, peerId)
  unindex(m)
  return value
end
-- Removes every member a process holds, appending their JSON to removed.
local function dropNode(node, removed)
  local setKey = P .. 'node-seats:' .. node
  for _, ref in ipairs(redis.call('SMEMBERS', setKey)) do
    local roomId, peerId = string.match(ref, '^(%S+) (%S+)$')
    local key = roomKey(roomId)
    local value = redis.call('HGET', key, peerId)
    if value and cjson.decode(value).nodeId == node then
      redis.call('HDEL', key, peerId)
      unindex(cjson.decode(value))
      table.insert(removed, value)
    end
  end
  redis.call('DEL', setKey)
  redis.call('SREM', P .. 'nodes', node)
end
`;

/*
 * Admit in one script so that freeing the connection's previous seat, the
 * capacity check and the insert cannot interleave with another join. Members
 * whose process stopped heartbeating are dropped first (a crashed node must
 * not hold seats).
 * KEYS[1] room hash; ARGV: prefix, peerId, member JSON, capacity, bypass capacity (1/0).
 */
const ADMIT = `${LIB}
local m = cjson.decode(ARGV[3])
local released = {}
local held = redis.call('HGET', P .. 'seats', m.connectionId)
if held then
  local roomId, peerId = string.match(held, '^(%S+) (%S+)$')
  local value = drop(roomKey(roomId), peerId, m.connectionId)
  if value then table.insert(released, value) else redis.call('HDEL', P .. 'seats', m.connectionId) end
end
local all = redis.call('HGETALL', KEYS[1])
local others, stale = {}, {}
for i = 1, #all, 2 do
  local o = cjson.decode(all[i + 1])
  if redis.call('EXISTS', P .. 'node:' .. o.nodeId) == 0 then
    redis.call('HDEL', KEYS[1], all[i])
    unindex(o)
    table.insert(stale, all[i + 1])
  else
    table.insert(others, all[i + 1])
  end
end
if ARGV[5] ~= '1' and #others >= tonumber(ARGV[4]) then
  return {0, others, stale, released}
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
index(m)
return {1, others, stale, released}
`;

/* KEYS[1] room hash; ARGV: prefix, peerId. Returns the removed member JSON or nil. */
const REMOVE = `${LIB}
return drop(KEYS[1], ARGV[2], nil)
`;

/* KEYS[1] room hash; ARGV: prefix. Returns every member JSON and deletes the room. */
const CLEAR = `${LIB}
local values = redis.call('HVALS', KEYS[1])
for _, value in ipairs(values) do unindex(cjson.decode(value)) end
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

/* KEYS[1] room hash; ARGV: prefix, peerId, connectionId, nodeId. */
const REBIND = `${LIB}
local value = redis.call('HGET', KEYS[1], ARGV[2])
if not value then return nil end
local m = cjson.decode(value)
unindex(m)
m.connectionId = ARGV[3]
m.nodeId = ARGV[4]
local updated = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[2], updated)
index(m)
return updated
`;

/* KEYS[1] room hash; ARGV: prefix, peerId, connectionId. */
const REMOVE_IF_CONNECTION = `${LIB}
return drop(KEYS[1], ARGV[2], ARGV[3])
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

/* ARGV: prefix. Every process in <prefix>nodes without a heartbeat key loses its members. */
const SWEEP_DEAD_NODES = `${LIB}
local removed = {}
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if redis.call('EXISTS', P .. 'node:' .. node) == 0 then
    dropNode(node, removed)
  elseif redis.call('SCARD', P .. 'node-seats:' .. node) == 0 then
    redis.call('SREM', P .. 'nodes', node)
  end
end
return removed
`;

/* ARGV: prefix, nodeId. */
const REMOVE_NODE = `${LIB}
local removed = {}
dropNode(ARGV[2], removed)
return removed
`;

type Admitted = [number, string[], string[], string[]];

interface MembershipCommands {
  mmAdmit(key: string, prefix: string, peerId: string, member: string, capacity: number, bypass: number): Promise<Admitted>;
  mmRemove(key: string, prefix: string, peerId: string): Promise<string | null>;
  mmClear(key: string, prefix: string): Promise<string[]>;
  mmSetMedia(key: string, peerId: string, media: string): Promise<string | null>;
  mmRebind(key: string, prefix: string, peerId: string, connectionId: string, nodeId: string): Promise<string | null>;
  mmRemoveIfConnection(key: string, prefix: string, peerId: string, connectionId: string): Promise<string | null>;
  mmSignalRoute(key: string, from: string, to: string): Promise<[number, string?]>;
  mmSweepDeadNodes(prefix: string): Promise<string[]>;
  mmRemoveNode(prefix: string, nodeId: string): Promise<string[]>;
}

export interface RedisMembershipOptions {
  /** Key prefix; tests give their own so they never sweep another suite's members. */
  readonly prefix?: string;
}

/** Membership shared by every server process through one Redis. */
export class RedisMembershipStore extends MembershipStore {
  private readonly redis: Redis & MembershipCommands;
  private readonly prefix: string;

  constructor(redis: Redis, options: RedisMembershipOptions = {}) {
    super();
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    redis.defineCommand('mmAdmit', { numberOfKeys: 1, lua: ADMIT });
    redis.defineCommand('mmRemove', { numberOfKeys: 1, lua: REMOVE });
    redis.defineCommand('mmClear', { numberOfKeys: 1, lua: CLEAR });
    redis.defineCommand('mmSetMedia', { numberOfKeys: 1, lua: SET_MEDIA });
    redis.defineCommand('mmRebind', { numberOfKeys: 1, lua: REBIND });
    redis.defineCommand('mmRemoveIfConnection', { numberOfKeys: 1, lua: REMOVE_IF_CONNECTION });
    redis.defineCommand('mmSignalRoute', { numberOfKeys: 1, lua: SIGNAL_ROUTE });
    redis.defineCommand('mmSweepDeadNodes', { numberOfKeys: 0, lua: SWEEP_DEAD_NODES });
    redis.defineCommand('mmRemoveNode', { numberOfKeys: 0, lua: REMOVE_NODE });
    this.redis = redis as Redis & MembershipCommands;
  }

  async admit(member: Member, capacity: number, options: AdmitOptions = {}): Promise<AdmitResult> {
    const [admitted, others, stale, released] = await this.redis.mmAdmit(
      this.room(member.roomId),
      this.prefix,
      member.peerId,
      JSON.stringify(member),
      capacity,
      options.bypassCapacity ? 1 : 0,
    );
    const common = { stale: stale.map(decode), released: released.map(decode) };
    return admitted === 1
      ? { admitted: true, others: others.map(decode), ...common }
      : { admitted: false, reason: 'ROOM_FULL', ...common };
  }

  async remove(roomId: string, peerId: string): Promise<Member | null> {
    return decodeOrNull(await this.redis.mmRemove(this.room(roomId), this.prefix, peerId));
  }

  async clear(roomId: string): Promise<Member[]> {
    return (await this.redis.mmClear(this.room(roomId), this.prefix)).map(decode);
  }

  async get(roomId: string, peerId: string): Promise<Member | null> {
    return decodeOrNull(await this.redis.hget(this.room(roomId), peerId));
  }

  async signalRoute(roomId: string, from: string, to: string): Promise<SignalRoute> {
    const [sender, connectionId] = await this.redis.mmSignalRoute(this.room(roomId), from, to);
    return { senderPresent: sender === 1, targetConnectionId: connectionId ?? null };
  }

  async list(roomId: string): Promise<Member[]> {
    return (await this.redis.hvals(this.room(roomId))).map(decode);
  }

  async count(roomId: string): Promise<number> {
    return this.redis.hlen(this.room(roomId));
  }

  async setMedia(roomId: string, peerId: string, media: MediaState): Promise<Member | null> {
    return decodeOrNull(await this.redis.mmSetMedia(this.room(roomId), peerId, JSON.stringify(media)));
  }

  async rebind(roomId: string, peerId: string, connectionId: string, nodeId: string): Promise<Member | null> {
    return decodeOrNull(await this.redis.mmRebind(this.room(roomId), this.prefix, peerId, connectionId, nodeId));
  }

  async removeIfConnection(roomId: string, peerId: string, connectionId: string): Promise<Member | null> {
    return decodeOrNull(await this.redis.mmRemoveIfConnection(this.room(roomId), this.prefix, peerId, connectionId));
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}node:${nodeId}`, Date.now().toString(), 'PX', ttlMs);
  }

  async sweepDeadNodes(): Promise<Member[]> {
    return (await this.redis.mmSweepDeadNodes(this.prefix)).map(decode);
  }

  async removeNode(nodeId: string): Promise<Member[]> {
    return (await this.redis.mmRemoveNode(this.prefix, nodeId)).map(decode);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private room(roomId: string): string {
    return roomKey(this.prefix, roomId);
  }
}

function decode(value: string): Member {
  return JSON.parse(value) as Member;
}

function decodeOrNull(value: string | null): Member | null {
  return value ? decode(value) : null;
}
