import { Inject, Injectable } from '@nestjs/common';
import type { Access, AttendanceResponse, CreateRoomResponse } from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity, RoomEntity } from '../database/entities';
import { generateHostKey, generateRoomId, hashHostKey, hostKeyMatches } from './secrets';

/** Rooms in the database: creation, lookup, access mode, end, and the host's attendance report. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'publicUrl' | 'maxParticipants'>,
  ) {}

  async create(name: string | undefined, access: Access = 'open'): Promise<CreateRoomResponse> {
    const hostKey = generateHostKey();
    const room = await this.database.run('create room', async (dataSource) => {
      const rooms = dataSource.getRepository(RoomEntity);
      // 26^10 ids make a collision unlikely; retrying keeps it harmless.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const id = generateRoomId();
        if (await rooms.existsBy({ id })) continue;
        const entity = rooms.create({
          id,
          name: name?.trim() || 'Meeting',
          hostKeyHash: hashHostKey(hostKey),
          access,
          locked: access === 'locked',
          maxParticipants: this.config.maxParticipants,
          createdAt: new Date(),
          endedAt: null,
        });
        return rooms.save(entity);
      }
      throw new Error('could not find a free room id');
    });
    const guestUrl = `${this.config.publicUrl}/r/${room.id}`;
    return {
      roomId: room.id,
      name: room.name,
      hostKey,
      hostUrl: `${guestUrl}?host=${encodeURIComponent(hostKey)}`,
      guestUrl,
    };
  }

  find(roomId: string): Promise<RoomEntity | null> {
    return this.database.run('find room', (dataSource) =>
      dataSource.getRepository(RoomEntity).findOneBy({ id: roomId }),
    );
  }

  isHostKey(room: RoomEntity, presented: string | undefined): boolean {
    return presented !== undefined && hostKeyMatches(presented, room.hostKeyHash);
  }

  async setAccess(roomId: string, access: Access): Promise<void> {
    await this.database.run('set room access', (dataSource) =>
      dataSource.getRepository(RoomEntity).update({ id: roomId }, { access, locked: access === 'locked' }),
    );
  }

  async end(roomId: string, at = new Date()): Promise<void> {
    await this.database.run('end room', (dataSource) =>
      dataSource.getRepository(RoomEntity).update({ id: roomId }, { endedAt: at, access: 'locked', locked: true }),
    );
  }

  async attendance(room: RoomEntity, now = new Date()): Promise<AttendanceResponse> {
    const rows = await this.database.run('read attendance', (dataSource) =>
      dataSource.getRepository(ParticipationEntity).find({
        where: { roomId: room.id },
        order: { joinedAt: 'ASC' },
      }),
    );
    return {
      roomId: room.id,
      name: room.name,
      createdAt: room.createdAt.toISOString(),
      endedAt: room.endedAt?.toISOString() ?? null,
      entries: rows.map((row) => ({
        userId: row.userId,
        name: row.displayName,
        role: row.role,
        joinedAt: row.joinedAt.toISOString(),
        leftAt: row.leftAt?.toISOString() ?? null,
        leftReason: row.leftReason,
        durationSeconds: Math.max(
          0,
          Math.round(((row.leftAt ?? now).getTime() - row.joinedAt.getTime()) / 1000),
        ),
      })),
    };
  }
}
