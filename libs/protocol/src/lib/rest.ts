import { z } from 'zod';
import { ERROR_CODES } from './error-codes';
import { LIMITS } from './limits';
import { qualityMeasuresSchema } from './quality';
import { humanTextSchema } from './text';

/** POST /api/rooms */
export const createRoomRequestSchema = z.strictObject({
  /** Blank means the default name; anything else is cleaned like every text shown to people (text.ts). */
  name: humanTextSchema(LIMITS.roomNameMaxLength, { allowBlank: true }).optional(),
});

export const createRoomResponseSchema = z.strictObject({
  roomId: z.string(),
  name: z.string(),
  hostKey: z.string(),
  hostUrl: z.string(),
  guestUrl: z.string(),
});

/** GET /api/rooms/:roomId */
export const roomInfoSchema = z.strictObject({
  roomId: z.string(),
  name: z.string(),
  participants: z.number().int(),
  maxParticipants: z.number().int(),
  locked: z.boolean(),
  endedAt: z.string().nullable(),
});

/** GET /api/rooms/:roomId/attendance (Authorization: Bearer <hostKey>) */
export const attendanceEntrySchema = z.strictObject({
  userId: z.string(),
  name: z.string(),
  role: z.enum(['host', 'guest']),
  joinedAt: z.string(),
  leftAt: z.string().nullable(),
  leftReason: z.string().nullable(),
  durationSeconds: z.number(),
});

export const attendanceResponseSchema = z.strictObject({
  roomId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  entries: z.array(attendanceEntrySchema),
});

/* GET /api/rooms/:roomId/report (Authorization: Bearer <hostKey>): attendance and call quality. */

/** One participation: a person's stay in the meeting, from join to leave (a rejoin is a new row). */
export const reportAttendanceSchema = z.strictObject({
  participationId: z.string(),
  /** The peer id this participation had in the meeting (the `peerId` of `quality` samples about them). */
  peerId: z.string(),
  userId: z.string(),
  name: z.string(),
  role: z.enum(['host', 'guest']),
  joinedAt: z.string(),
  leftAt: z.string().nullable(),
  leftReason: z.string().nullable(),
  durationSeconds: z.number(),
});

/** A stored sample: what the browser measured, and when the server received it (`at`, ISO 8601). */
export const reportSampleSchema = qualityMeasuresSchema.extend({ at: z.string() });

/**
 * One ordered pair: `from` measured its link with `to`. `…In` fields are
 * media from `to` to `from`, `…Out` fields media from `from` to `to`.
 * Names are the participations' display names; the ids tell two people of
 * the same name apart.
 */
export const reportLinkSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  fromParticipationId: z.string(),
  toParticipationId: z.string(),
  fromPeerId: z.string(),
  toPeerId: z.string(),
  /** Oldest first. */
  samples: z.array(reportSampleSchema),
});

/** A stretch of time (ISO 8601) in a finding. */
export const reportPeriodSchema = z.strictObject({ from: z.string(), to: z.string() });

/**
 * What the summary found about one person (quality-summary.ts decides):
 * - `uplink-limited`: their browser lowered the video it sent because of their uplink (`bandwidth`) or device (`cpu`);
 * - `uplink-loss`: most people receiving them lost packets: their uplink;
 * - `downlink-loss`: they lost packets from most people: their downlink;
 * - `link-loss`: they lost packets from one person only (`peer`), while others received that person well: the path between the two;
 * - `freezes`: the others saw their video freeze (`count` freezes, `durationSec` in all);
 * - `relayed`: their media went through the TURN relay (`protocols` they reached it with, `peers` on those links);
 * - `reconnections`: ICE restarts or reconnections of their links (`count`, at `times`, with `peers`).
 */
export const reportFindingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('uplink-limited'), cause: z.enum(['bandwidth', 'cpu']), periods: z.array(reportPeriodSchema) }),
  z.strictObject({ kind: z.literal('uplink-loss'), loss: z.number(), periods: z.array(reportPeriodSchema) }),
  z.strictObject({ kind: z.literal('downlink-loss'), loss: z.number(), periods: z.array(reportPeriodSchema) }),
  z.strictObject({
    kind: z.literal('link-loss'),
    peer: z.string(),
    peerParticipationId: z.string(),
    loss: z.number(),
    periods: z.array(reportPeriodSchema),
  }),
  z.strictObject({ kind: z.literal('freezes'), count: z.number().int(), durationSec: z.number() }),
  z.strictObject({ kind: z.literal('relayed'), protocols: z.array(z.string()), peers: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('reconnections'), count: z.number().int(), times: z.array(z.string()), peers: z.array(z.string()) }),
]);

/** The plain-language summary of one participation; `text` is built from `findings` (times in UTC here). */
export const reportSummarySchema = z.strictObject({
  participationId: z.string(),
  name: z.string(),
  findings: z.array(reportFindingSchema),
  text: z.string(),
});

export const meetingReportSchema = z.strictObject({
  room: z.strictObject({
    roomId: z.string(),
    name: z.string(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
  }),
  /** One row per participation, in order of joining. */
  attendance: z.array(reportAttendanceSchema),
  /** One per ordered pair with samples, in order of the first sample. */
  links: z.array(reportLinkSchema),
  /** One per participation, in attendance order. */
  summaries: z.array(reportSummarySchema),
  /** True when the meeting reached the server's cap on stored samples: later samples were not kept. */
  truncated: z.boolean(),
  /** Days the server keeps samples (QUALITY_RETENTION_DAYS); older ones are deleted. */
  retentionDays: z.number().int(),
});

/** Every REST error body. `fields` names what was wrong with a 400's input. */
export const restErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});

export type CreateRoomRequest = z.input<typeof createRoomRequestSchema>;
export type CreateRoomResponse = z.infer<typeof createRoomResponseSchema>;
export type RoomInfo = z.infer<typeof roomInfoSchema>;
export type AttendanceEntry = z.infer<typeof attendanceEntrySchema>;
export type AttendanceResponse = z.infer<typeof attendanceResponseSchema>;
export type ReportAttendance = z.infer<typeof reportAttendanceSchema>;
export type ReportSample = z.infer<typeof reportSampleSchema>;
export type ReportLink = z.infer<typeof reportLinkSchema>;
export type ReportPeriod = z.infer<typeof reportPeriodSchema>;
export type ReportFinding = z.infer<typeof reportFindingSchema>;
export type ReportSummary = z.infer<typeof reportSummarySchema>;
export type MeetingReport = z.infer<typeof meetingReportSchema>;
export type RestError = z.infer<typeof restErrorSchema>;
