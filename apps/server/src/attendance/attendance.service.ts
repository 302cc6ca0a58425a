import { Inject, Injectable } from '@nestjs/common';
import type { LeaveReason, Role } from '@mesh-meet/protocol';
import { IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity, ServerNodeEntity, UserEntity } from '../database/entities';

export interface OpenParticipation {
  id: string;
  roomId: string;
  userId: string;
  peerId: string;
  name: string;
  role: Role;
}

/**
 * Attendance: a row opened at join and closed at leave, disconnect, removal
 * or the end of the meeting. Rows are written as things happen, so a crash
 * loses at most the closing time, which the next start fills in from the
 * process's last heartbeat.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'nodeId'>,
  ) {}

  /** Records the user (creating or renaming the anonymous identity) and opens their row. */
  async open(entry: OpenParticipation, at = new Date()): Promise<void> {
    await this.database.run('open attendance', (dataSource) =>
      dataSource.transaction(async (manager) => {
        const users = manager.getRepository(UserEntity);
        const existing = await users.findOneBy({ id: entry.userId });
        if (existing) {
          await users.update({ id: entry.userId }, { displayName: entry.name, lastSeenAt: at });
        } else {
          await users.insert({ id: entry.userId, displayName: entry.name, createdAt: at, lastSeenAt: at });
        }
        await manager.getRepository(ParticipationEntity).insert({
          id: entry.id,
          roomId: entry.roomId,
          userId: entry.userId,
          peerId: entry.peerId,
          displayName: entry.name,
          role: entry.role,
          nodeId: this.config.nodeId,
          joinedAt: at,
          leftAt: null,
          leftReason: null,
        });
      }),
    );
  }

  async close(participationId: string, reason: LeaveReason, at = new Date()): Promise<void> {
    await this.database.run('close attendance', (dataSource) =>
      dataSource
        .getRepository(ParticipationEntity)
        .update({ id: participationId, leftAt: IsNull() }, { leftAt: at, leftReason: reason }),
    );
  }

  /** Closes every open row of a room (the meeting ended). */
  async closeRoom(roomId: string, reason: LeaveReason, at = new Date()): Promise<void> {
    await this.database.run('close room attendance', (dataSource) =>
      dataSource
        .getRepository(ParticipationEntity)
        .update({ roomId, leftAt: IsNull() }, { leftAt: at, leftReason: reason }),
    );
  }

  /**
   * At start: rows this process left open when it last stopped without closing
   * them (a crash, a kill) are closed at the last time it was known alive.
   */
  async recoverAfterCrash(now = new Date()): Promise<number> {
    return this.database.run('recover attendance', async (dataSource) => {
      const node = await dataSource.getRepository(ServerNodeEntity).findOneBy({ id: this.config.nodeId });
      const participations = dataSource.getRepository(ParticipationEntity);
      const open = await participations.findBy({ nodeId: this.config.nodeId, leftAt: IsNull() });
      for (const row of open) {
        const lastAlive = node?.lastSeenAt ?? now;
        const leftAt = lastAlive > row.joinedAt ? lastAlive : row.joinedAt;
        await participations.update({ id: row.id }, { leftAt, leftReason: 'disconnected' });
      }
      return open.length;
    });
  }

  /** Records that this process is alive (see recoverAfterCrash). */
  async heartbeat(at = new Date()): Promise<void> {
    await this.database.run('node heartbeat', (dataSource) =>
      dataSource.getRepository(ServerNodeEntity).save({ id: this.config.nodeId, lastSeenAt: at }),
    );
  }
}
