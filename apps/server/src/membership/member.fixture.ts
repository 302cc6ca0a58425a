import { randomUUID } from 'node:crypto';
import type { Member } from './membership.store';

/** For specs: a member with fresh random ids; `fields` names what the spec cares about. */
export function memberFixture(fields: Pick<Member, 'roomId' | 'name' | 'nodeId'> & Partial<Member>): Member {
  return {
    peerId: `peer${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    userId: randomUUID(),
    role: 'guest',
    media: { audio: false, video: false, screen: false },
    participationId: randomUUID(),
    connectionId: randomUUID(),
    resumeTokenHash: '0'.repeat(64),
    joinedAt: new Date().toISOString(),
    ...fields,
  };
}
