import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// A spec only: a standard JSON Schema validator stands in for a client in another language.
// eslint-disable-next-line @nx/enforce-module-boundaries
import Ajv2020 from 'ajv/dist/2020';
import { CLIENT_EVENT_SCHEMAS, SERVER_EVENT_SCHEMAS } from './events';
import { JSON_SCHEMA_FILE, protocolJsonSchema, protocolJsonSchemaText } from './json-schema';

const checkedIn = readFileSync(join(__dirname, '../../../..', JSON_SCHEMA_FILE), 'utf8');

describe(`${JSON_SCHEMA_FILE}`, () => {
  it('is what `npm run protocol:schema` writes from the zod schemas today', () => {
    const current = protocolJsonSchemaText();
    if (checkedIn !== current) {
      throw new Error(`${JSON_SCHEMA_FILE} is out of date: run \`npm run protocol:schema\` and commit the file`);
    }
  });

  it('has a request and an ack for every client event, and every server event', () => {
    const defs = Object.keys(protocolJsonSchema()['$defs'] as object);
    for (const event of Object.keys(CLIENT_EVENT_SCHEMAS)) {
      expect(defs).toEqual(expect.arrayContaining([`client.${event}.request`, `client.${event}.ack`]));
    }
    for (const event of Object.keys(SERVER_EVENT_SCHEMAS)) expect(defs).toContain(`server.${event}`);
  });
});

describe('the JSON Schema, used by a validator in another language', () => {
  // Formats (uuid, date-time) are annotations here; the patterns beside them still apply.
  const ajv = new Ajv2020({ validateFormats: false });
  ajv.addSchema(JSON.parse(checkedIn), 'protocol');
  const valid = (def: string, payload: unknown) => ajv.validate(`protocol#/$defs/${def}`, payload);
  const peerId = 'AAAAAAAAAAAAAAAA';

  it('accepts what the server accepts', () => {
    expect(valid('client.join.request', { roomId: 'abc-defg-hij', name: 'Hana', media: { audio: true, video: false, screen: false } })).toBe(true);
    expect(valid('client.signal.request', { to: peerId, data: { candidate: null } })).toBe(true);
    expect(valid('client.signal.request', { to: peerId, data: { description: { type: 'offer', sdp: 'v=0\r\n' } } })).toBe(true);
    expect(valid('client.leave.request', null)).toBe(true);
    expect(valid('client.leave.request', {})).toBe(true);
    expect(valid('server.chat-message', { id: 'm1', from: peerId, name: 'Hana', text: 'hi', sentAt: '2026-01-01T00:00:00.000Z' })).toBe(true);
    expect(valid('client.join.ack', { ok: false, error: { code: 'ROOM_FULL', message: 'full' } })).toBe(true);
    expect(valid('rest.error', { code: 'INTERNAL', message: 'a bug' })).toBe(true);
  });

  it('refuses what the server refuses', () => {
    expect(valid('client.join.request', { roomId: 'abc-defg-hij', name: 'Hana', admin: true })).toBe(false);
    // Names are cleaned (invisible characters removed) before the 40-character limit applies, so the
    // schema bounds the raw text at four times that; the server's own check is the exact one.
    expect(valid('client.join.request', { roomId: 'abc-defg-hij', name: 'a'.repeat(161) })).toBe(false);
    expect(valid('client.signal.request', { to: 'x', data: { candidate: null } })).toBe(false);
    expect(valid('client.signal.request', { to: peerId, data: { description: { type: 'offer' }, candidate: null } })).toBe(false);
    expect(valid('client.leave.request', { reason: 'bye' })).toBe(false);
    expect(valid('server.peer-left', { peerId, reason: 'gone' })).toBe(false);
    expect(valid('client.join.ack', { ok: false, error: { code: 'SOMETHING_ELSE', message: '' } })).toBe(false);
  });
});
