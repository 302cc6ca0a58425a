import { randomUUID } from 'node:crypto';
import { waitFor } from '@mesh-meet/testing';
import type { JoinRequestRecord, WaitingRoomStore } from './waiting-room.store';

/** The behaviour every WaitingRoomStore must have; run against memory and against Redis. */
export function waitingRoomStoreContract(makeStore: () => WaitingRoomStore | Promise<WaitingRoomStore>): void {
  let store: WaitingRoomStore;
  const freshRoom = () => `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;
  let clock = Date.now();
  /** A request made a second after the previous one, lapsing `ttlMs` after it was made. */
  const candidate = (roomId: string, name: string, overrides: Partial<JoinRequestRecord> = {}, ttlMs = 600_000): JoinRequestRecord => {
    clock += 1000;
    return {
      requestId: `Rq${randomUUID().replace(/-/g, '').slice(0, 14)}`,
      roomId,
      userId: randomUUID(),
      name,
      nodeId: 'node-a',
      connectionId: `conn-${randomUUID().slice(0, 8)}`,
      requestedAt: new Date(clock).toISOString(),
      expiresAt: new Date(clock + ttlMs).toISOString(),
      ...overrides,
    };
  };
  const at = (ms: number) => new Date(ms);

  beforeEach(async () => {
    store = await makeStore();
    // Requests are made from a clock ahead of real time, so `now` is given to every read that checks expiry.
    clock = Date.now() + 1_000_000;
  });

  it('lists requests oldest first, each once', async () => {
    const roomId = freshRoom();
    const a = candidate(roomId, 'A');
    const b = candidate(roomId, 'B');
    expect(await store.request(a)).toEqual({ request: a, created: true });
    expect(await store.request(b)).toEqual({ request: b, created: true });
    expect(await store.list(roomId, at(clock))).toEqual([a, b]);
    expect(await store.list(freshRoom(), at(clock))).toEqual([]);
  });

  it('keeps one request per identity: asking again returns it, moved to the newer connection', async () => {
    const roomId = freshRoom();
    const first = candidate(roomId, 'Twice');
    await store.request(first);
    const again = candidate(roomId, 'Twice again', { userId: first.userId, connectionId: 'conn-newer', nodeId: 'node-b' });
    const result = await store.request(again);
    expect(result).toEqual({
      request: { ...first, name: 'Twice again', connectionId: 'conn-newer', nodeId: 'node-b' },
      created: false,
    });
    expect(await store.list(roomId, at(clock))).toEqual([result.request]);
    // The older connection leaving does not withdraw what the newer one holds.
    expect(await store.withdraw(roomId, first.requestId, first.connectionId)).toBeNull();
    expect(await store.withdraw(roomId, first.requestId, 'conn-newer')).toEqual(result.request);
    expect(await store.list(roomId, at(clock))).toEqual([]);
  });

  it('hands a request to one taker only, and none once expired', async () => {
    const roomId = freshRoom();
    const a = candidate(roomId, 'A');
    await store.request(a);
    const takes = await Promise.all([store.take(roomId, a.requestId, at(clock)), store.take(roomId, a.requestId, at(clock))]);
    expect(takes.filter(Boolean)).toEqual([a]);

    const short = candidate(roomId, 'Short', {}, 5000);
    await store.request(short);
    const later = Date.parse(short.expiresAt) + 1;
    expect(await store.list(roomId, at(later))).toEqual([]);
    expect(await store.take(roomId, short.requestId, at(later))).toBeNull();
  });

  it('takes every live request of a room at once, oldest first', async () => {
    const roomId = freshRoom();
    const a = candidate(roomId, 'A');
    const b = candidate(roomId, 'B');
    const other = candidate(freshRoom(), 'Other');
    for (const request of [a, b, other]) await store.request(request);
    expect(await store.takeAll(roomId, at(clock))).toEqual([a, b]);
    expect(await store.list(roomId, at(clock))).toEqual([]);
    expect(await store.list(other.roomId, at(clock))).toEqual([other]);
  });

  it('treats an expired request of the same identity as gone: asking again makes a new one', async () => {
    const roomId = freshRoom();
    const now = Date.now();
    const lapsed = candidate(roomId, 'Lapsed', {
      requestedAt: new Date(now - 2000).toISOString(),
      expiresAt: new Date(now - 1000).toISOString(),
    });
    await store.request(lapsed);
    const renewed = candidate(roomId, 'Renewed', { userId: lapsed.userId });
    expect(await store.request(renewed)).toEqual({ request: renewed, created: true });
    expect(await store.list(roomId, at(now))).toEqual([renewed]);
  });

  it('remembers an admission until it is used or lapses, and a denial for its cooldown', async () => {
    const roomId = freshRoom();
    const userId = randomUUID();
    expect(await store.consumeAdmission(roomId, userId)).toBe(false);
    await store.markAdmitted(roomId, userId, 60_000);
    expect(await store.consumeAdmission(freshRoom(), userId)).toBe(false);
    expect(await store.consumeAdmission(roomId, userId)).toBe(true);
    expect(await store.consumeAdmission(roomId, userId)).toBe(false);

    expect(await store.isDenied(roomId, userId)).toBe(false);
    await store.markDenied(roomId, userId, 60_000);
    expect(await store.isDenied(roomId, userId)).toBe(true);
    expect(await store.isDenied(freshRoom(), userId)).toBe(false);
    await store.markDenied(roomId, userId, 1);
    await waitFor(async () => !(await store.isDenied(roomId, userId)), { what: 'the 1 ms denial to lapse', timeoutMs: 5000, intervalMs: 5 });
  });
}
