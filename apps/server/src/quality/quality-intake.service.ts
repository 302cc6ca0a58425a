import { Injectable } from '@nestjs/common';
import { LIMITS, type QualityRequest } from '@mesh-meet/protocol';
import { MeetingError } from '../meeting/meeting-error';
import { MemberCheck } from '../meeting/member-check.service';
import type { SignalingSocket } from '../meeting/socket-session';
import { type Member, MembershipStore } from '../membership/membership.store';
import { QUALITY_LINK_BURST, QUALITY_LINK_PER_SECOND, TokenBucket } from '../rate-limit/token-bucket';
import { QualityRecorder } from './quality-recorder.service';

/** Per-link buckets a connection keeps before the ones of departed peers are dropped. */
const BUCKETS_KEPT = 2 * LIMITS.maxParticipantsCeiling;

/**
 * The `quality` event: a member's samples of its links, checked and handed to
 * the recorder. Every `peerId` must be another member of the sender's room
 * (one store read for the whole message), each link has its own rate, and
 * the message is taken whole or refused whole. The server stamps the time.
 * Nothing is sent to anyone.
 */
@Injectable()
export class QualityIntake {
  constructor(
    private readonly store: MembershipStore,
    private readonly check: MemberCheck,
    private readonly recorder: QualityRecorder,
  ) {}

  async record(socket: SignalingSocket, { samples }: QualityRequest, now = Date.now()): Promise<void> {
    const session = this.check.session(socket);
    const members = new Map((await this.store.list(session.roomId)).map((member) => [member.peerId, member]));
    const sender = members.get(session.peerId);
    if (!sender) return this.check.gone(socket, session);
    const targets: Member[] = [];
    for (const sample of samples) {
      const target = sample.peerId === session.peerId ? undefined : members.get(sample.peerId);
      if (!target) throw new MeetingError('PEER_NOT_FOUND', 'a sample names a peer that is not in this room');
      targets.push(target);
    }

    const buckets = (socket.data.qualityBuckets ??= new Map());
    if (buckets.size > BUCKETS_KEPT) for (const peerId of buckets.keys()) if (!members.has(peerId)) buckets.delete(peerId);
    const linkBuckets = samples.map((sample) => {
      let bucket = buckets.get(sample.peerId);
      if (!bucket) buckets.set(sample.peerId, (bucket = new TokenBucket(QUALITY_LINK_BURST, QUALITY_LINK_PER_SECOND)));
      return bucket;
    });
    // All or nothing: a message with one link over its rate takes no token from the others.
    if (!linkBuckets.every((bucket) => bucket.hasToken())) {
      throw new MeetingError('RATE_LIMITED', `one quality sample per link every ${LIMITS.qualityIntervalMs / 1000} s`);
    }
    for (const bucket of linkBuckets) bucket.tryTake();
    // Each message of a connection a millisecond after the last at least, so a link's samples keep their order.
    const at = new Date(Math.max(now, (socket.data.qualityLastAt ?? 0) + 1));
    socket.data.qualityLastAt = at.getTime();

    this.recorder.add(
      samples.map(({ peerId: _peerId, ...measures }, index) => ({
        roomId: session.roomId,
        fromParticipationId: sender.participationId,
        toParticipationId: targets[index].participationId,
        at,
        measures,
      })),
    );
  }
}
