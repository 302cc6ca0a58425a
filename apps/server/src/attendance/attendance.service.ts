import { Inject, Injectable } from '@nestjs/common';
import type { LeaveReason, Role } from '@mesh-meet/protocol';
import { IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity, ServerNodeEntity, UserEntity } from '../database/entities';
import { MembershipStore } from '../membership/membership.store';

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
    private readonly store: MembershipStore,
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

  /**
   * Whether the host removed this user from this room. The removal is the
   * closed row itself (leftReason 'removed'): it is written before the removed
   * person hears of it, it is in the database every process and restart share,
   * and it lasts as long as the meeting's attendance does.
   */
  async wasRemoved(roomId: string, userId: string): Promise<boolean> {
    return this.database.run('check removal', (dataSource) =>
      dataSource.getRepository(ParticipationEntity).existsBy({ roomId, userId, leftReason: 'removed' }),
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
   * A member resumed on another process: their open row now belongs to that
   * process, so a restart of the one they left does not close it.
   */
  async moveToNode(participationId: string, nodeId: string): Promise<void> {
    await this.database.run('move attendance', (dataSource) =>
      dataSource.getRepository(ParticipationEntity).update({ id: participationId, leftAt: IsNull() }, { nodeId }),
    );
  }

  /**
   * At start: rows this process left open when it last stopped without closing
   * them (a crash, a kill) are closed at the last time it was known alive.
   * A row whose participation is still a member in the store is left open:
   * that person is in the meeting (they resumed on another process, and the
   * move of their row may not have happened). Run it after this node's own
   * leftovers were removed from the store (DeadNodeSweeper does that first).
   */
  async recoverAfterCrash(now = new Date()): Promise<number> {
    const { open, lastAlive } = await this.database.run('find open attendance', async (dataSource) => ({
      open: await dataSource.getRepository(ParticipationEntity).findBy({ nodeId: this.config.nodeId, leftAt: IsNull() }),
      lastAlive: (await dataSource.getRepository(ServerNodeEntity).findOneBy({ id: this.config.nodeId }))?.lastSeenAt ?? now,
    }));
    const gone: ParticipationEntity[] = [];
    for (const row of open) {
      const member = await this.store.get(row.roomId, row.peerId);
      if (member?.participationId !== row.id) gone.push(row);
    }
    await this.database.run('recover attendance', async (dataSource) => {
      const participations = dataSource.getRepository(ParticipationEntity);
      for (const row of gone) {
        const leftAt = lastAlive > row.joinedAt ? lastAlive : row.joinedAt;
        await participations.update({ id: row.id, leftAt: IsNull() }, { leftAt, leftReason: 'disconnected' });
      }
    });
    return gone.length;
  }

  /** Records that this process is alive (see recoverAfterCrash). */
  async heartbeat(at = new Date()): Promise<void> {
    await this.database.run('node heartbeat', (dataSource) =>
      dataSource.getRepository(ServerNodeEntity).save({ id: this.config.nodeId, lastSeenAt: at }),
    );
  }
}
