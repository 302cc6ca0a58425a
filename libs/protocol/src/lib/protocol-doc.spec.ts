import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from './error-codes';
import { CLIENT_EVENTS, SERVER_EVENTS } from './events';
import { LIMITS } from './limits';

const doc = readFileSync(join(__dirname, '../../../../docs/protocol.md'), 'utf8');

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

  it('states the limits the library enforces', () => {
    expect(doc).toContain(`${LIMITS.maxMessageBytes / 1024} KiB`);
    expect(doc).toContain(`1–${LIMITS.nameMaxLength} characters`);
    expect(doc).toContain(`1–${LIMITS.chatMaxLength} characters`);
  });
});
