import { z } from 'zod';
import { CLIENT_EVENT_SCHEMAS, SERVER_EVENT_SCHEMAS, SIGNALING_NAMESPACE } from './events';
import {
  attendanceResponseSchema,
  createRoomRequestSchema,
  createRoomResponseSchema,
  meetingReportSchema,
  restErrorSchema,
  roomInfoSchema,
} from './rest';

/** Where `npm run protocol:schema` writes the document, from the repository root. */
export const JSON_SCHEMA_FILE = 'docs/protocol.schema.json';

type JsonSchema = Record<string, unknown>;

/**
 * One schema as JSON Schema 2020-12. What a client sends is described as the
 * server accepts it (`io: 'input'`: before trimming and normalising), what it
 * receives as the server sends it.
 */
function convert(schema: z.ZodType, io: 'input' | 'output', title: string): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    io,
    // `leave` and `host:end` may come without a payload: JSON has no `undefined`,
    // so that branch of the union becomes "no value" and the text says so.
    unrepresentable: ({ zodSchema }) => (zodSchema._zod.def.type === 'undefined' ? { not: {} } : 'throw'),
  }) as JsonSchema;
  delete converted['$schema'];
  return { title, ...converted };
}

const REST = {
  'rest.create-room.request': [createRoomRequestSchema, 'input', 'POST /api/rooms: request body'],
  'rest.create-room.response': [createRoomResponseSchema, 'output', 'POST /api/rooms: 201 body'],
  'rest.room-info.response': [roomInfoSchema, 'output', 'GET /api/rooms/:roomId: 200 body'],
  'rest.attendance.response': [attendanceResponseSchema, 'output', 'GET /api/rooms/:roomId/attendance: 200 body'],
  'rest.report.response': [meetingReportSchema, 'output', 'GET /api/rooms/:roomId/report: 200 body'],
  'rest.error': [restErrorSchema, 'output', 'Every REST error body (4xx, 5xx)'],
} as const satisfies Record<string, readonly [z.ZodType, 'input' | 'output', string]>;

/**
 * Every message of the protocol as JSON Schema, for clients in other
 * languages: `$defs` holds `client.<event>.request` and `client.<event>.ack`
 * for each browser -> server event, `server.<event>` for each server ->
 * browser event, and `rest.*` for the REST bodies. Generated from the zod
 * schemas; a spec fails when the checked-in file is not current.
 */
export function protocolJsonSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const [event, contract] of Object.entries(CLIENT_EVENT_SCHEMAS)) {
    const request = convert(contract.request, 'input', `${event}: payload (browser -> server)`);
    if (contract.request.safeParse(undefined).success) {
      request['description'] = 'No payload (send the event with only the ack), null, or an empty object.';
    }
    defs[`client.${event}.request`] = request;
    defs[`client.${event}.ack`] = convert(contract.ack, 'output', `${event}: ack (server -> browser)`);
  }
  for (const [event, schema] of Object.entries(SERVER_EVENT_SCHEMAS)) {
    defs[`server.${event}`] = convert(schema, 'output', `${event}: payload (server -> browser)`);
  }
  for (const [name, [schema, io, title]] of Object.entries(REST)) defs[name] = convert(schema, io, title);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Mesh Meet wire protocol',
    description:
      `Socket.IO namespace ${SIGNALING_NAMESPACE} and the REST API under /api; see docs/protocol.md. ` +
      `Generated from libs/protocol by \`npm run protocol:schema\`: do not edit by hand.`,
    $defs: defs,
  };
}

/** The file's text: stable key order and a final newline, so a diff shows what changed. */
export function protocolJsonSchemaText(): string {
  return `${JSON.stringify(protocolJsonSchema(), null, 2)}\n`;
}
