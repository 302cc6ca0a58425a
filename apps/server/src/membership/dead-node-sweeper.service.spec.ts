import { Writable } from 'node:stream';
import type { LeaveReason } from '@mesh-meet/protocol';
import { AppLogger } from '../logging/app-logger';
import { DeadNodeSweeper } from './dead-node-sweeper.service';
import { DepartureAnnouncer } from './departure-announcer';
import { MEMBERSHIP_TTL_MS, SWEEP_INTERVAL_MS } from './liveness';
import { memberFixture } from './member.fixture';
import type { Member } from './membership.store';
import { MemoryMembershipStore } from './memory-membership.store';

/** Records what it is asked to announce; can be told to fail. */
class RecordingAnnouncer extends DepartureAnnouncer {
  readonly announced: Array<{ names: string[]; reason: LeaveReason }> = [];
  failNext = false;

  async announce(members: Member[], reason: LeaveReason): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('room unreachable');
    }
    this.announced.push({ names: members.map((m) => m.name).sort(), reason });
  }
}

const SELF = 'self-node';
const member = (name: string, nodeId: string, roomId = 'abc-defg-hij'): Member => memberFixture({ roomId, name, nodeId });

describe('DeadNodeSweeper', () => {
  let store: MemoryMembershipStore;
  let announcer: RecordingAnnouncer;
  let logLines: string[];
  let sweeper: DeadNodeSweeper;

  beforeEach(() => {
    store = new MemoryMembershipStore();
    announcer = new RecordingAnnouncer();
    logLines = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    sweeper = new DeadNodeSweeper(store, announcer, AppLogger.create('info', destination), { nodeId: SELF });
  });
  afterEach(() => {
    sweeper.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('notices a SIGKILLed process within 20 s: heartbeat TTL plus one sweep interval', () => {
    expect(MEMBERSHIP_TTL_MS + SWEEP_INTERVAL_MS).toBeLessThanOrEqual(18_000);
  });

  it('at start removes what an earlier run under this NODE_ID left, and announces it as disconnected', async () => {
    await store.heartbeat('other-node', 60_000);
    await store.admit(member('Ghost 1', SELF), 6);
    await store.admit(member('Ghost 2', SELF, 'xyz-abcd-efg'), 6);
    await store.admit(member('Other', 'other-node'), 6);
    await sweeper.onModuleInit();
    expect(announcer.announced).toEqual([{ names: ['Ghost 1', 'Ghost 2'], reason: 'disconnected' }]);
    expect((await store.list('abc-defg-hij')).map((m) => m.name)).toEqual(['Other']);
  });

  it('announces nothing at start when this node left nothing', async () => {
    await sweeper.onModuleInit();
    expect(announcer.announced).toEqual([]);
  });

  it('sweeps dead processes every interval once started, and stops when the app shuts down', async () => {
    jest.useFakeTimers();
    await store.heartbeat('dead-node', 1);
    await store.admit(member('Alive here', SELF), 6);
    await store.admit(member('Gone', 'dead-node'), 6);
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(SWEEP_INTERVAL_MS);
    expect(announcer.announced).toEqual([{ names: ['Gone'], reason: 'disconnected' }]);

    await store.admit(member('Gone later', 'never-beat'), 6);
    sweeper.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(SWEEP_INTERVAL_MS * 3);
    expect(announcer.announced).toHaveLength(1);
  });

  it('keeps its own members although its heartbeat ran out (an event loop that stalled is still alive)', async () => {
    const ranOutBy = Date.now() + 2;
    await store.heartbeat(SELF, 1);
    await store.admit(member('Mine', SELF), 6);
    await waitUntil(() => Date.now() > ranOutBy);
    expect(await sweeper.sweep()).toEqual([]);
    expect(await store.count('abc-defg-hij')).toBe(1);
  });

  it('logs a failed announcement and goes on sweeping', async () => {
    await store.admit(member('First', 'dead-1'), 6);
    announcer.failNext = true;
    expect((await sweeper.sweep()).map((m) => m.name)).toEqual(['First']);
    expect(logLines.join('')).toContain('announcing departures failed');
    await store.admit(member('Second', 'dead-2'), 6);
    await sweeper.sweep();
    expect(announcer.announced).toEqual([{ names: ['Second'], reason: 'disconnected' }]);
  });

  it('runs one sweep at a time: a sweep asked for during another shares its result', async () => {
    await store.admit(member('Once', 'dead-node'), 6);
    const [first, second] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(first).toBe(second);
    expect(announcer.announced).toHaveLength(1);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
