import { Injectable, inject } from '@angular/core';
import { type MeetingReport, meetingReportSchema } from '@mesh-meet/protocol';
import { APP_ORIGIN } from '../core/browser.tokens';

export type ReportResult = { ok: true; report: MeetingReport } | { ok: false; reason: 'refused' | 'not-found' | 'failed' };

/** GET /api/rooms/:roomId/report with the host key; the body parsed by the protocol's schema. */
@Injectable({ providedIn: 'root' })
export class ReportClient {
  private readonly origin = inject(APP_ORIGIN);

  async load(roomId: string, hostKey: string): Promise<ReportResult> {
    let response: Response;
    try {
      response = await fetch(`${this.origin}/api/rooms/${encodeURIComponent(roomId)}/report`, {
        headers: { authorization: `Bearer ${hostKey}` },
        cache: 'no-store',
      });
    } catch {
      return { ok: false, reason: 'failed' };
    }
    if (response.status === 401 || response.status === 403) return { ok: false, reason: 'refused' };
    if (response.status === 404) return { ok: false, reason: 'not-found' };
    if (!response.ok) return { ok: false, reason: 'failed' };
    const parsed = meetingReportSchema.safeParse(await response.json().catch(() => null));
    return parsed.success ? { ok: true, report: parsed.data } : { ok: false, reason: 'failed' };
  }
}
