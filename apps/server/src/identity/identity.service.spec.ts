import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '../database/database.service';
import { openDatabase, type ScratchDatabase, scratchBackends } from '../database/scratch-database';
import { IdentityService } from './identity.service';

describe.each(scratchBackends('identity on MariaDB/MySQL'))('IdentityService with the secret kept in %s', (_, makeScratch) => {
  let scratch: ScratchDatabase;
  const opened: DatabaseService[] = [];
  /** One server process: its own connection to the shared database. */
  const startProcess = async () => {
    const database = await openDatabase(scratch.config);
    opened.push(database);
    return new IdentityService(database, { identitySecret: undefined });
  };

  beforeAll(async () => {
    scratch = await makeScratch();
  });
  afterAll(async () => {
    for (const database of opened) await database.onApplicationShutdown();
    await scratch?.drop();
  });

  it('verifies what it issued, to the userId it issued', async () => {
    const identity = await startProcess();
    const first = await identity.issue();
    const second = await identity.issue();
    expect(first.userId).not.toBe(second.userId);
    expect(await identity.verify(first.token)).toBe(first.userId);
    expect(await identity.verify(second.token)).toBe(second.userId);
  });

  it('agrees across processes that start together and after a restart', async () => {
    const [a, b] = await Promise.all([startProcess(), startProcess()]);
    const [fromA, fromB] = await Promise.all([a.issue(), b.issue()]);
    expect(await b.verify(fromA.token)).toBe(fromA.userId);
    expect(await a.verify(fromB.token)).toBe(fromB.userId);
    const restarted = await startProcess();
    expect(await restarted.verify(fromA.token)).toBe(fromA.userId);
  });

  it('refuses forged, altered and malformed tokens', async () => {
    const identity = await startProcess();
    const { userId, token } = await identity.issue();
    const [, signature] = token.split('.');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const refused: unknown[] = [
      `${randomUUID()}.${signature}`,
      `${userId}.${flip(signature, 0)}`,
      `${userId}.${flip(signature, signature.length - 1)}`,
      `${userId}.${signature.slice(1)}`,
      `${userId}.${signature}A`,
      `${userId.toUpperCase()}.${signature}`,
      `${userId}.${'A'.repeat(43)}`,
      userId,
      `${token} `,
      '',
      null,
      42,
      { token },
    ];
    for (const candidate of refused) expect(await identity.verify(candidate)).toBeNull();
  });
});

describe('IdentityService with IDENTITY_SECRET', () => {
  const secret = 'a-configured-identity-secret-of-40-chars!';
  /* No database at all: a configured secret never needs one. */
  const unusedDatabase = {} as DatabaseService;

  it('agrees across processes configured with the same secret', async () => {
    const { userId, token } = await new IdentityService(unusedDatabase, { identitySecret: secret }).issue();
    expect(await new IdentityService(unusedDatabase, { identitySecret: secret }).verify(token)).toBe(userId);
  });

  it('refuses a token signed with another secret', async () => {
    const { token } = await new IdentityService(unusedDatabase, { identitySecret: secret }).issue();
    const other = new IdentityService(unusedDatabase, { identitySecret: `${secret}-other` });
    expect(await other.verify(token)).toBeNull();
  });
});
