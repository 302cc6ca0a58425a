import type { Page } from 'playwright-core';
import { type AttendanceResponse, attendanceResponseSchema } from '@mesh-meet/protocol';

/** The meeting's attendance as its host reads it, from the host's page (the host key is in its link). */
export async function attendance(host: Page, hostUrl: string): Promise<AttendanceResponse> {
  const url = new URL(hostUrl);
  const roomId = url.pathname.split('/').pop() ?? '';
  const hostKey = url.searchParams.get('host') ?? '';
  const body = await host.evaluate(
    async ({ room, key }) => (await fetch(`/api/rooms/${room}/attendance`, { headers: { Authorization: `Bearer ${key}` } })).json(),
    { room: roomId, key: hostKey },
  );
  return attendanceResponseSchema.parse(body);
}
