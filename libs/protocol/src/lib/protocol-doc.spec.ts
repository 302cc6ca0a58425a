import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from './error-codes';
import { CLIENT_EVENTS, SERVER_EVENTS, SIGNALING_NAMESPACE } from './events';
import { JSON_SCHEMA_FILE, protocolJsonSchema } from './json-schema';
import { LIMITS } from './limits';

const doc = readFileSync(join(__dirname, '../../../../docs/protocol.md'), 'utf8');
const defs = protocolJsonSchema()['$defs'] as Record<string, { properties?: Record<string, { properties?: object }> }>;

/** Every field name of a message, one level into nested objects (`self.peerId`, `room.maxParticipants`). */
function fieldNames(schema: { properties?: Record<string, { properties?: object }> }): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => [name, ...Object.keys(field.properties ?? {})]);
}

describe('docs/protocol.md', () => {
  it.each(Object.values(CLIENT_EVENTS))('documents the browser event %s', (event) => {
    expect(doc).toContain(`\`${event}\``);
  });

  it.each(Object.values(SERVER_EVENTS))('documents the server event %s', (event) => {
    expect(doc).toContain(`\`${event}\``);
  });

  it.each(ERROR_CODES)('documents the error code %s', (code) => {
    expect(doc).toContain(`| \`${code}\` |`);
  });

  it.each(Object.keys(defs))('names every field of the JSON-Schema\'d message %s', (name) => {
    const missing = fieldNames(defs[name]).filter((field) => !new RegExp(`\\b${field}\\b`).test(doc));
    expect(missing).toEqual([]);
  });

  it('names the JSON Schema file and its REST definitions', () => {
    expect(doc).toContain(JSON_SCHEMA_FILE.replace('docs/', ''));
    for (const name of Object.keys(defs).filter((key) => key.startsWith('rest.'))) expect(doc).toContain(`\`${name}\``);
  });

  it('states what a client in another language needs to connect', () => {
    expect(doc).toContain(`namespace **\`${SIGNALING_NAMESPACE}\`**`);
    expect(doc).toContain('**`/socket.io/`**');
    expect(doc).toContain('Socket.IO protocol revision 5 over Engine.IO protocol 4');
  });

  it('states the limits the library enforces', () => {
    expect(doc).toContain(`${LIMITS.maxMessageBytes / 1024} KiB`);
    expect(doc).toContain(`${LIMITS.sdpMaxLength / 1024} KiB`);
    expect(doc).toContain(`at most ${LIMITS.candidateMaxLength} characters`);
    expect(doc).toContain(`at most ${LIMITS.roomNameMaxLength} characters`);
    expect(doc).toContain(`1–${LIMITS.nameMaxLength} characters`);
    expect(doc).toContain(`${LIMITS.peerIdMinLength}–${LIMITS.peerIdMaxLength} characters`);
    expect(doc).toContain(`1–${LIMITS.chatMaxLength} characters`);
  });
});
