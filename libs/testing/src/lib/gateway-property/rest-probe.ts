import type { AttendanceResponse, RoomInfo } from '@mesh-meet/protocol';
import { type ClientOptions, httpCall } from '../signaling-client';
import type { OpenRow, Seat, ServerProbe } from './checks';

async function getJson<T>(url: string, options: ClientOptions & { headers?: Record<string, string> }): Promise<T> {
  const response = await httpCall(url, options);
  if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname}: ${response.status} ${response.body.slice(0, 200)}`);
  return JSON.parse(response.body) as T;
}

/**
 * The property suite's view of a server it can reach only over HTTP (a built
 * server process, as the bench runs it): seat counts from the room lookup and
 * open rows from the host's attendance. It cannot tell which connection holds
 * a seat, so ghosts show once every client has gone, and attendance is
 * compared by count.
 */
export function restProbe(url: string, options: ClientOptions = {}): ServerProbe {
  return {
    async seats(rooms) {
      const infos = await Promise.all(rooms.map((room) => getJson<RoomInfo>(`${url}/api/rooms/${room.roomId}`, options)));
      return infos.flatMap((info) => Array.from({ length: info.participants }, (): Seat => ({ roomId: info.roomId, holder: 'unknown' })));
    },
    async openRows(rooms) {
      const attendance = await Promise.all(
        rooms.map((room) =>
          getJson<AttendanceResponse>(`${url}/api/rooms/${room.roomId}/attendance`, {
            ...options,
            headers: { authorization: `Bearer ${room.hostKey}` },
          }),
        ),
      );
      return attendance.flatMap((room) => room.entries.filter((entry) => entry.leftAt === null).map((): OpenRow => ({ roomId: room.roomId })));
    },
  };
}
