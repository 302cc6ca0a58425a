import type { NestExpressApplication } from '@nestjs/platform-express';
import { In, IsNull } from 'typeorm';
import type { OpenRow, Seat, ServerProbe } from '@mesh-meet/testing';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity } from '../database/entities';
import { MeetingChannels } from '../meeting/meeting-channels.service';
import { MembershipStore } from '../membership/membership.store';

/**
 * The property suite's view of an in-process server: the seats in its
 * MembershipStore (memory or Redis), the sockets connected to its namespace,
 * and the attendance rows in its database.
 */
export function appProbe(app: NestExpressApplication): ServerProbe {
  const store = app.get(MembershipStore);
  const channels = app.get(MeetingChannels);
  const participations = () => app.get(DatabaseService).dataSource.getRepository(ParticipationEntity);
  return {
    async seats(rooms) {
      const live = new Map(channels.localSockets().map((socket) => [socket.id, socket.data.session?.peerId]));
      const members = (await Promise.all(rooms.map((room) => store.list(room.roomId)))).flat();
      return members.map((member): Seat => {
        const holder = !live.has(member.connectionId) ? 'gone' : live.get(member.connectionId) === member.peerId ? 'live' : 'shared';
        return { roomId: member.roomId, peerId: member.peerId, participationId: member.participationId, holder };
      });
    },
    async openRows(rooms) {
      const rows = await participations().findBy({ roomId: In(rooms.map((room) => room.roomId)), leftAt: IsNull() });
      return rows.map((row): OpenRow => ({ roomId: row.roomId, participationId: row.id }));
    },
    async peerRooms(rooms) {
      const rows = await participations().findBy({ roomId: In(rooms.map((room) => room.roomId)) });
      return new Map(rows.map((row) => [row.peerId, row.roomId]));
    },
  };
}
