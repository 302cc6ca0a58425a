import type { Redis } from 'ioredis';
import { type JoinRequestRecord, type RequestResult, WaitingRoomStore } from './waiting-room.store';

const DEFAULT_PREFIX = 'mm:';
/* The room id in braces (a hash tag), as the membership keys: one room's keys share a slot. */
const requestsKey = (prefix: string, roomId: string) => `${prefix}wait:{${roomId}}:requests`;
const admittedKey = (prefix: string, roomId: string, userId: string) => `${prefix}wait:{${roomId}}:admitted:${userId}`;
const deniedKey = (prefix: string, roomId: string, userId: string) => `${prefix}wait:{${roomId}}:denied:${userId}`;
/** The room's hash outlives its newest request by this much, so an abandoned room's keys go away by themselves. */
const KEY_SLACK_MS = 60_000;

/*
 * Each room's requests are one hash, requestId -> request JSON with `e`, its
 * expiry in ms since the epoch (Lua cannot read ISO dates).
 * KEYS[1] the room's hash; ARGV: candidate JSON, now (ms), the hash's TTL (ms).
 * Returns {1 created / 0 existing, the request JSON}.
 */
const REQUEST = `
local c = cjson.decode(ARGV[1])
local now = tonumber(ARGV[2])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local r = cjson.decode(all[i + 1])
  if r.e <= now then
    redis.call('HDEL', KEYS[1], all[i])
  elseif r.userId == c.userId then
    r.nodeId = c.nodeId
    r.connectionId = c.connectionId
    r.name = c.name
    local moved = cjson.encode(r)
    redis.call('HSET', KEYS[1], all[i], moved)
    return {0, moved}
  end
end
redis.call('HSET', KEYS[1], c.requestId, ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, ARGV[1]}
`;

/*
 * KEYS[1] the room's hash; ARGV: key prefix, now (ms). The live requests' JSON.
 * A request lapses at its expiry, or when the process holding its connection
 * stopped heartbeating (the membership store's <prefix>node:<nodeId> key): a
 * crashed process's guests are not shown to the host for the rest of their TTL.
 * Those are dropped on the way.
 */
const LIST = `
local now = tonumber(ARGV[2])
local live = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local r = cjson.decode(all[i + 1])
  if r.e <= now or redis.call('EXISTS', ARGV[1] .. 'node:' .. r.nodeId) == 0 then
    redis.call('HDEL', KEYS[1], all[i])
  else
    table.insert(live, all[i + 1])
  end
end
return live
`;

/* KEYS[1] the room's hash; ARGV: requestId, now (ms). The request JSON if it was there and alive. */
const TAKE = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return nil end
redis.call('HDEL', KEYS[1], ARGV[1])
if cjson.decode(value).e <= tonumber(ARGV[2]) then return nil end
return value
`;

/* KEYS[1] the room's hash. Every request JSON; the hash is gone. */
const TAKE_ALL = `
local values = redis.call('HVALS', KEYS[1])
redis.call('DEL', KEYS[1])
return values
`;

/* KEYS[1] the room's hash; ARGV: requestId, connectionId. */
const WITHDRAW = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value or cjson.decode(value).connectionId ~= ARGV[2] then return nil end
redis.call('HDEL', KEYS[1], ARGV[1])
return value
`;

interface WaitingRoomCommands {
  wrRequest(key: string, candidate: string, now: number, ttlMs: number): Promise<[number, string]>;
  wrList(key: string, prefix: string, now: number): Promise<string[]>;
  wrTake(key: string, requestId: string, now: number): Promise<string | null>;
  wrTakeAll(key: string): Promise<string[]>;
  wrWithdraw(key: string, requestId: string, connectionId: string): Promise<string | null>;
}

type Stored = JoinRequestRecord & { e: number };

function decode(value: string): Stored {
  return JSON.parse(value) as Stored;
}

function record({ e: _expiry, ...request }: Stored): JoinRequestRecord {
  return request;
}

const alive = (now: Date) => (request: Stored) => request.e > now.getTime();
const oldestFirst = (a: JoinRequestRecord, b: JoinRequestRecord) => a.requestedAt.localeCompare(b.requestedAt);

export interface RedisWaitingRoomOptions {
  /** Key prefix, the membership store's (its heartbeat keys say which processes are alive); tests give their own. */
  readonly prefix?: string;
}

/** The waiting rooms shared by every server process through one Redis. */
export class RedisWaitingRoomStore extends WaitingRoomStore {
  private readonly redis: Redis & WaitingRoomCommands;
  private readonly prefix: string;

  constructor(redis: Redis, options: RedisWaitingRoomOptions = {}) {
    super();
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    redis.defineCommand('wrRequest', { numberOfKeys: 1, lua: REQUEST });
    redis.defineCommand('wrList', { numberOfKeys: 1, lua: LIST });
    redis.defineCommand('wrTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('wrTakeAll', { numberOfKeys: 1, lua: TAKE_ALL });
    redis.defineCommand('wrWithdraw', { numberOfKeys: 1, lua: WITHDRAW });
    this.redis = redis as Redis & WaitingRoomCommands;
  }

  async request(candidate: JoinRequestRecord): Promise<RequestResult> {
    const now = Date.now();
    const expiry = Date.parse(candidate.expiresAt);
    const stored: Stored = { ...candidate, e: expiry };
    const ttl = Math.max(1, expiry - now) + KEY_SLACK_MS;
    const [created, value] = await this.redis.wrRequest(this.key(candidate.roomId), JSON.stringify(stored), now, ttl);
    return { request: record(decode(value)), created: created === 1 };
  }

  async list(roomId: string, now = new Date()): Promise<JoinRequestRecord[]> {
    const values = await this.redis.wrList(this.key(roomId), this.prefix, now.getTime());
    return values.map(decode).map(record).sort(oldestFirst);
  }

  async take(roomId: string, requestId: string, now = new Date()): Promise<JoinRequestRecord | null> {
    const value = await this.redis.wrTake(this.key(roomId), requestId, now.getTime());
    return value ? record(decode(value)) : null;
  }

  async takeAll(roomId: string, now = new Date()): Promise<JoinRequestRecord[]> {
    const values = await this.redis.wrTakeAll(this.key(roomId));
    return values.map(decode).filter(alive(now)).map(record).sort(oldestFirst);
  }

  async withdraw(roomId: string, requestId: string, connectionId: string): Promise<JoinRequestRecord | null> {
    const value = await this.redis.wrWithdraw(this.key(roomId), requestId, connectionId);
    return value ? record(decode(value)) : null;
  }

  async markAdmitted(roomId: string, userId: string, ttlMs: number): Promise<void> {
    await this.redis.set(admittedKey(this.prefix, roomId, userId), '1', 'PX', ttlMs);
  }

  async consumeAdmission(roomId: string, userId: string): Promise<boolean> {
    return (await this.redis.del(admittedKey(this.prefix, roomId, userId))) === 1;
  }

  async markDenied(roomId: string, userId: string, ttlMs: number): Promise<void> {
    await this.redis.set(deniedKey(this.prefix, roomId, userId), '1', 'PX', ttlMs);
  }

  async isDenied(roomId: string, userId: string): Promise<boolean> {
    return (await this.redis.exists(deniedKey(this.prefix, roomId, userId))) === 1;
  }

  private key(roomId: string): string {
    return requestsKey(this.prefix, roomId);
  }
}
