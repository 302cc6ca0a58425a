import { randomUUID } from 'node:crypto';
import type { QualityMeasures } from '@mesh-meet/protocol';
import type { AppConfig } from '../config/config';
import type { DatabaseService } from '../database/database.service';
import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import { ParticipationEntity, QualitySampleEntity, RoomEntity, UserEntity } from '../database/entities';
import { openDatabase, type ScratchDatabase, scratchBackends } from '../database/scratch-database';
import { AppLogger } from '../logging/app-logger';
import { MetricsService } from '../metrics/metrics.service';
import { MeetingReportService } from './meeting-report.service';
import { type QualityRow, QualityRecorder } from './quality-recorder.service';
import { QualityRetention } from './quality-retention.service';

const DAY_MS = 24 * 60 * 60 * 1000;

const measures: QualityMeasures = {
  windowSec: 10,
  rttMs: 35.5,
  lossIn: 0.012,
  lossOut: null,
  jitterMs: 4.25,
  bitrateIn: 999_999_999,
  bitrateOut: 0,
  fpsIn: 29.97,
  frameHeightIn: 720,
  freezeCount: 2,
  totalFreezesDuration: 1.75,
  localCandidateType: 'relay',
  remoteCandidateType: 'prflx',
  relayProtocol: 'tls',
  qualityLimitationReason: 'cpu',
  iceRestarts: 1,
};

describe.each(scratchBackends('quality storage on MariaDB/MySQL'))('quality samples on %s', (_, makeScratch) => {
  let scratch: ScratchDatabase;
  let database: DatabaseService;
  const logger = AppLogger.create('silent');
  let metrics: MetricsService;
  beforeEach(() => {
    metrics = new MetricsService();
  });
  const counted = async (outcome: string) =>
    (await metrics.qualitySamples.get()).values.find((value) => value.labels['outcome'] === outcome)?.value ?? 0;
  const quality = (overrides: Partial<AppConfig['quality']> = {}): Pick<AppConfig, 'quality'> => ({
    quality: { retentionDays: 30, samplesPerMeeting: 50_000, flushMs: 60_000, ...overrides },
  });

  beforeAll(async () => {
    scratch = await makeScratch();
    database = await openDatabase(scratch.config);
  });
  afterAll(async () => {
    await database?.onApplicationShutdown();
    await scratch?.drop();
  });

  /** A room with two attendance rows, as joins leave them. */
  async function meeting(): Promise<{ room: RoomEntity; from: string; to: string; row: (at: Date) => QualityRow }> {
    const room: RoomEntity = {
      id: `q${randomUUID().slice(0, 8)}`,
      name: 'Storage',
      hostKeyHash: '0'.repeat(64),
      locked: false,
      maxParticipants: 6,
      createdAt: new Date(),
      endedAt: null,
    };
    await database.repository(RoomEntity).insert(room);
    const [from, to] = [randomUUID(), randomUUID()];
    for (const [id, name] of [[from, 'Hana'], [to, 'Kumi']]) {
      const userId = randomUUID();
      await database.repository(UserEntity).insert({ id: userId, displayName: name, createdAt: new Date(), lastSeenAt: new Date() });
      await database.repository(ParticipationEntity).insert({
        id, roomId: room.id, userId, peerId: `peer${id.slice(0, 12)}`, displayName: name, role: 'guest',
        nodeId: 'storage-spec', joinedAt: new Date(), leftAt: null, leftReason: null,
      });
    }
    return { room, from, to, row: (at) => ({ roomId: room.id, fromParticipationId: from, toParticipationId: to, at, measures }) };
  }

  it('writes buffered samples in one flush and reads every field back as it was sent', async () => {
    const { room, row } = await meeting();
    const recorder = new QualityRecorder(database, metrics, logger, quality());
    const at = new Date(Date.now() - 1000);
    recorder.add([row(at)]);
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(0);
    await recorder.flush();
    const report = await new MeetingReportService(database, quality()).report(room);
    expect(report.links).toHaveLength(1);
    expect(report.links[0]).toMatchObject({ from: 'Hana', to: 'Kumi' });
    expect(report.links[0].samples).toEqual([{ at: at.toISOString(), ...measures }]);
  });

  it('keeps at most the cap per meeting, drops the rest and says the report is truncated', async () => {
    const { room, row } = await meeting();
    const other = await meeting();
    const recorder = new QualityRecorder(database, metrics, logger, quality({ samplesPerMeeting: 100 }));
    const start = Date.now() - 60_000;
    recorder.add(Array.from({ length: 80 }, (_, index) => row(new Date(start + index))));
    await recorder.flush();
    // A later flush knows the meeting's count and keeps only what fits; another meeting is not affected.
    recorder.add(Array.from({ length: 50 }, (_, index) => row(new Date(start + 100 + index))));
    recorder.add([other.row(new Date(start))]);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(100);
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: other.room.id })).toBe(1);
    expect([await counted('stored'), await counted('over-cap')]).toEqual([101, 30]);
    const service = (cap: number) => new MeetingReportService(database, quality({ samplesPerMeeting: cap }));
    const truncated = await service(100).report(room);
    expect(truncated.truncated).toBe(true);
    // Oldest first: the first 100 sent were kept.
    expect(truncated.links[0].samples.at(-1)?.at).toBe(new Date(start + 119).toISOString());
    expect((await service(100).report(other.room)).truncated).toBe(false);
  });

  it('keeps samples while the database is unreachable and writes them once it is back', async () => {
    const { room, row } = await meeting();
    const recorder = new QualityRecorder(database, metrics, logger, quality());
    recorder.add([row(new Date())]);
    const run = jest.spyOn(database, 'run').mockRejectedValueOnce(new DatabaseUnavailableError('count quality samples', 'not connected'));
    try {
      await recorder.flush();
      expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(0);
    } finally {
      run.mockRestore();
    }
    recorder.add([row(new Date())]);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(2);
  });

  it('after an outage in the middle of a flush writes the rest once, repeating none', async () => {
    const { room, row } = await meeting();
    const recorder = new QualityRecorder(database, metrics, logger, quality());
    const start = Date.now() - 10_000;
    recorder.add(Array.from({ length: 300 }, (_, index) => row(new Date(start + index))));
    const real = database.run.bind(database);
    let calls = 0;
    // Call 1 counts the meeting's rows, call 2 writes the first chunk, call 3 (the second chunk) meets the outage.
    const run = jest.spyOn(database, 'run').mockImplementation((operation, work) => {
      calls += 1;
      return calls === 3 ? Promise.reject(new DatabaseUnavailableError(operation, 'timed out')) : real(operation, work);
    });
    try {
      await recorder.flush();
    } finally {
      run.mockRestore();
    }
    const stored = await database.repository(QualitySampleEntity).countBy({ roomId: room.id });
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(300);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(300);
  });

  it('drops only the row the database refuses (not an outage), and writes the rest of the batch', async () => {
    const { room, row } = await meeting();
    const other = await meeting();
    const recorder = new QualityRecorder(database, metrics, logger, quality());
    // A row naming a participation that does not exist: the foreign key refuses it.
    recorder.add([row(new Date()), { ...row(new Date()), toParticipationId: randomUUID() }, other.row(new Date())]);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(1);
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: other.room.id })).toBe(1);
    expect([await counted('stored'), await counted('refused')]).toEqual([2, 1]);
    recorder.add([row(new Date())]);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(2);
  });

  it('prunes samples older than the retention, in batches, and keeps the newer ones', async () => {
    const { room, row } = await meeting();
    const now = new Date();
    const recorder = new QualityRecorder(database, metrics, logger, quality());
    const old = Array.from({ length: 1500 }, (_, index) => row(new Date(now.getTime() - 31 * DAY_MS - index)));
    const kept = [row(new Date(now.getTime() - 29 * DAY_MS)), row(new Date(now.getTime() - 1000))];
    recorder.add([...old, ...kept]);
    await recorder.flush();
    expect(await database.repository(QualitySampleEntity).countBy({ roomId: room.id })).toBe(1502);

    const retention = new QualityRetention(database, logger, quality({ retentionDays: 30 }));
    expect(await retention.prune(now)).toBe(1500);
    const left = await database.repository(QualitySampleEntity).find({ where: { roomId: room.id }, order: { at: 'ASC' } });
    expect(left.map((sample) => sample.at.getTime())).toEqual(kept.map((each) => each.at.getTime()));
    expect(await retention.prune(now)).toBe(0);
    // A shorter retention, configured later, takes the 29-day-old one too.
    expect(await new QualityRetention(database, logger, quality({ retentionDays: 7 })).prune(now)).toBe(1);
  });
});
