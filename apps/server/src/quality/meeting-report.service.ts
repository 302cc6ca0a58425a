import { Inject, Injectable } from '@nestjs/common';
import {
  type MeetingReport,
  type ReportAttendance,
  type ReportLink,
  type ReportSample,
  candidateTypeSchema,
  qualityLimitationReasonSchema,
  relayProtocolSchema,
  summarizeQuality,
} from '@mesh-meet/protocol';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity, QualitySampleEntity, type RoomEntity } from '../database/entities';

/**
 * The host's meeting report: attendance from the participations, the quality
 * samples grouped per ordered pair (oldest first), and the summary per person
 * (summarizeQuality, shared with the web app). The same read during the
 * meeting and after it.
 */
@Injectable()
export class MeetingReportService {
  constructor(
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'quality'>,
  ) {}

  async report(room: RoomEntity, now = new Date()): Promise<MeetingReport> {
    const { participations, samples } = await this.database.run('read meeting report', async (dataSource) => ({
      participations: await dataSource.getRepository(ParticipationEntity).find({
        where: { roomId: room.id },
        order: { joinedAt: 'ASC', id: 'ASC' },
      }),
      samples: await readSamples(dataSource, room.id),
    }));
    const attendance = participations.map((row) => attendanceRow(row, now));
    const byId = new Map(participations.map((row) => [row.id, row]));
    const links = new Map<string, ReportLink>();
    for (const row of samples) {
      const from = byId.get(row.fromParticipationId);
      const to = byId.get(row.toParticipationId);
      // Both rows belong to this room (the intake took them from its members); a row that does not is not shown.
      if (!from || !to) continue;
      const key = `${from.id} ${to.id}`;
      let link = links.get(key);
      if (!link) {
        link = {
          from: from.displayName,
          to: to.displayName,
          fromParticipationId: from.id,
          toParticipationId: to.id,
          fromPeerId: from.peerId,
          toPeerId: to.peerId,
          samples: [],
        };
        links.set(key, link);
      }
      link.samples.push(toSample(row));
    }
    const linkList = [...links.values()];
    return {
      room: {
        roomId: room.id,
        name: room.name,
        createdAt: room.createdAt.toISOString(),
        endedAt: room.endedAt?.toISOString() ?? null,
      },
      attendance,
      links: linkList,
      summaries: summarizeQuality({ attendance, links: linkList }),
      truncated: samples.length >= this.config.quality.samplesPerMeeting,
      retentionDays: this.config.quality.retentionDays,
    };
  }
}

/**
 * A meeting's samples, oldest first, read as raw rows: a capped meeting has
 * 50,000 of them, and TypeORM's entity hydration took about ten times as
 * long as the query itself (300 ms against 24 ms for 12,480 rows on SQLite).
 * Only `at` needs the driver's conversion (SQLite keeps datetimes as text).
 */
async function readSamples(dataSource: DataSource, roomId: string): Promise<QualitySampleEntity[]> {
  const metadata = dataSource.getMetadata(QualitySampleEntity);
  const quote = (name: string) => dataSource.driver.escape(name);
  const columns = metadata.columns.map((column) => `${quote(column.databaseName)} AS ${quote(column.propertyName)}`).join(', ');
  const at = metadata.findColumnWithPropertyName('at');
  const sql = `SELECT ${columns} FROM ${quote(metadata.tableName)} WHERE ${quote('room_id')} = ? ORDER BY ${quote('at')}, ${quote('id')}`;
  const rows = (await dataSource.query(sql, [roomId])) as Array<
    QualitySampleEntity & { at: unknown }
  >;
  return rows.map((row) => ({ ...row, at: dataSource.driver.prepareHydratedValue(row.at, at as ColumnMetadata) as Date }));
}

function attendanceRow(row: ParticipationEntity, now: Date): ReportAttendance {
  return {
    participationId: row.id,
    peerId: row.peerId,
    userId: row.userId,
    name: row.displayName,
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
    leftAt: row.leftAt?.toISOString() ?? null,
    leftReason: row.leftReason,
    durationSeconds: Math.max(0, Math.round(((row.leftAt ?? now).getTime() - row.joinedAt.getTime()) / 1000)),
  };
}

/** Columns as the protocol names them; a stored kind outside the protocol's enums (never written) reads as unknown. */
function toSample(row: QualitySampleEntity): ReportSample {
  return {
    at: row.at.toISOString(),
    windowSec: row.windowSec,
    rttMs: row.rttMs,
    lossIn: row.lossIn,
    lossOut: row.lossOut,
    jitterMs: row.jitterMs,
    bitrateIn: row.bitrateIn,
    bitrateOut: row.bitrateOut,
    fpsIn: row.fpsIn,
    frameHeightIn: row.frameHeightIn,
    freezeCount: row.freezeCount,
    totalFreezesDuration: row.totalFreezesDuration,
    localCandidateType: oneOf(row.localCandidateType, candidateTypeSchema.options),
    remoteCandidateType: oneOf(row.remoteCandidateType, candidateTypeSchema.options),
    relayProtocol: oneOf(row.relayProtocol, relayProtocolSchema.options),
    qualityLimitationReason: oneOf(row.qualityLimitationReason, qualityLimitationReasonSchema.options),
    iceRestarts: row.iceRestarts,
  };
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}
