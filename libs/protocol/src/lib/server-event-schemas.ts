import type { z } from 'zod';
import type { ServerToClientEvents } from './events';
import {
  chatMessageSchema,
  peerJoinedSchema,
  peerLeftSchema,
  peerMediaStateSchema,
  removedSchema,
  roomEndedSchema,
  roomUpdatedSchema,
  signalEventSchema,
} from './schemas';

type ServerEventName = keyof ServerToClientEvents;

/** The schema of each server-to-browser event, so the browser can parse what it receives. */
export const SERVER_EVENT_SCHEMAS = {
  'peer-joined': peerJoinedSchema,
  'peer-left': peerLeftSchema,
  signal: signalEventSchema,
  'peer-media-state': peerMediaStateSchema,
  'chat-message': chatMessageSchema,
  'room-updated': roomUpdatedSchema,
  removed: removedSchema,
  'room-ended': roomEndedSchema,
} as const satisfies Record<ServerEventName, z.ZodType>;

export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
