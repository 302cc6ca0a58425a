import type { Page } from 'playwright-core';
import { type AttendanceResponse, attendanceResponseSchema } from '@mesh-meet/protocol';
import { hostApiGet } from './host-api';

/** The meeting's attendance as its host reads it, from the host's page (the host key is in its link). */
export async function attendance(host: Page, hostUrl: string): Promise<AttendanceResponse> {
  return attendanceResponseSchema.parse(await hostApiGet(host, hostUrl, 'attendance'));
}
