import { z } from 'zod';
import { ERROR_CODES } from './error-codes';
import { LIMITS } from './limits';
import { accessSchema } from './schemas';
import { humanTextSchema } from './text';

/** POST /api/rooms */
export const createRoomRequestSchema = z.strictObject({
  /** Blank means the default name; anything else is cleaned like every text shown to people (text.ts). */
  name: humanTextSchema(LIMITS.roomNameMaxLength, { allowBlank: true }).optional(),
  /** Who may come in at first; absent means `open`. The host changes it in the call (`host:access`). */
  access: accessSchema.optional(),
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
  access: accessSchema,
  /** `access === 'locked'`, kept for clients written before `access`. */
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
export type RestError = z.infer<typeof restErrorSchema>;
