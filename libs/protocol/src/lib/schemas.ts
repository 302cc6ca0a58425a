import { z } from 'zod';
import { ERROR_CODES } from './error-codes';
import { LIMITS } from './limits';
import { normalizeRoomId } from './room-id';
import { humanTextSchema } from './text';

/* ---------- building blocks ---------- */

export const roomIdSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const roomId = normalizeRoomId(value);
    if (!roomId) {
      ctx.addIssue({ code: 'custom', message: 'must be a room id like abc-defg-hij' });
      return z.NEVER;
    }
    return roomId;
  });

/** Shown to everyone in the room: cleaned of controls, bidi overrides and invisible characters (text.ts). */
export const displayNameSchema = humanTextSchema(LIMITS.nameMaxLength);

/** Server-issued peer ids: url-safe random strings. */
export const peerIdSchema = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9_-]{${LIMITS.peerIdMinLength},${LIMITS.peerIdMaxLength}}$`), 'must be a peer id');

export const userIdSchema = z.uuid();

/**
 * The identity the server issued to this browser (`self.identity` of an
 * earlier join ack), opaque to clients. The server checks its signature: a
 * token it did not issue, or one it cannot read, is not an error, the join
 * simply gets a fresh identity.
 */
export const identityTokenSchema = z.string().max(LIMITS.identityTokenMaxLength);

/** Host keys are base64url strings of at least 128 random bits. */
export const hostKeySchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be a host key');

export const roleSchema = z.enum(['host', 'guest']);

/**
 * Who may come in: `open` (anyone with the link), `ask` (guests wait until
 * the host admits them), `locked` (nobody new; the host can always rejoin).
 */
export const accessSchema = z.enum(['open', 'ask', 'locked']);

/** Server-issued ids of join requests: url-safe random strings, like peer ids. */
export const requestIdSchema = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9_-]{${LIMITS.peerIdMinLength},${LIMITS.peerIdMaxLength}}$`), 'must be a request id');

export const mediaStateSchema = z.strictObject({
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean(),
});

export const NO_MEDIA: MediaState = { audio: false, video: false, screen: false };

export const sessionDescriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(LIMITS.sdpMaxLength).optional(),
});

export const iceCandidateSchema = z.strictObject({
  candidate: z.string().max(LIMITS.candidateMaxLength),
  sdpMid: z.string().max(LIMITS.sdpMidMaxLength).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(LIMITS.sdpMLineIndexMax).nullable().optional(),
  usernameFragment: z.string().max(LIMITS.usernameFragmentMaxLength).nullable().optional(),
});

/**
 * `{description}` or `{candidate}`; a null candidate marks the end of candidates.
 * `{restartIce: true}` asks the other side to restart ICE: sent by a browser
 * whose peer owns the pair's ICE restarts (a Firefox peer that offered first;
 * docs/protocol.md, "Joining, and who offers") instead of a restart offer.
 */
export const signalDataSchema = z.union([
  z.strictObject({ description: sessionDescriptionSchema }),
  z.strictObject({ candidate: iceCandidateSchema.nullable() }),
  z.strictObject({ restartIce: z.literal(true) }),
]);

export const iceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

export const peerInfoSchema = z.strictObject({
  peerId: peerIdSchema,
  name: displayNameSchema,
  role: roleSchema,
  media: mediaStateSchema,
  /** Present (true) when this peer asked to make the first offer: members answer it instead of offering. */
  offersFirst: z.literal(true).optional(),
});

export const errorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export const leaveReasonSchema = z.enum(['left', 'disconnected', 'removed', 'ended']);

/* ---------- browser -> server ---------- */

export const joinRequestSchema = z.strictObject({
  roomId: roomIdSchema,
  name: displayNameSchema,
  /** The token from an earlier ack's `self.identity`; absent on a browser's first join. */
  identity: identityTokenSchema.optional(),
  hostKey: hostKeySchema.optional(),
  /** What the newcomer starts with; shown to the others in `peer-joined`. */
  media: mediaStateSchema.optional(),
  /**
   * The newcomer makes the first offer to each member, who answer it (and
   * performs the ICE restarts of those pairs): Firefox sets it (see docs/protocol.md).
   */
  offersFirst: z.boolean().optional(),
  /**
   * After a dropped connection: the peer id and resume token of the previous
   * join. Within the server's grace period the same peer id is kept and the
   * others see nothing, so media that still flows is not torn down.
   */
  resume: z
    .strictObject({
      peerId: peerIdSchema,
      token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a resume token'),
    })
    .optional(),
});

/**
 * Unknown top-level keys are dropped rather than refused: a client that sends
 * its own `from` is not an error, it is simply not believed (the server sets it).
 */
export const signalRequestSchema = z.object({
  to: peerIdSchema,
  data: signalDataSchema,
});

export const mediaStateRequestSchema = mediaStateSchema;

export const chatRequestSchema = z.strictObject({
  text: humanTextSchema(LIMITS.chatMaxLength, { allowNewlines: true }),
});

export const hostLockRequestSchema = z.strictObject({ locked: z.boolean() });

export const hostRemoveRequestSchema = z.strictObject({ peerId: peerIdSchema });

export const hostAccessRequestSchema = z.strictObject({ access: accessSchema });

/** `host:admit` and `host:deny` name one waiting guest by the id of their request. */
export const hostRequestDecisionSchema = z.strictObject({ requestId: requestIdSchema });

export const hostMuteRequestSchema = z.strictObject({ peerId: peerIdSchema });

/** Events without a payload accept nothing or an empty object. */
export const emptyRequestSchema = z.union([z.undefined(), z.null(), z.strictObject({})]);

/* ---------- server -> browser ---------- */

export const selfInfoSchema = z.strictObject({
  peerId: peerIdSchema,
  role: roleSchema,
  /** Who this browser is in attendance, issued by the server. */
  userId: userIdSchema,
  /** Keep it and send it as `join.identity` next time: the same person, the same userId. */
  identity: identityTokenSchema,
  /** Secret of this join, for `join.resume` after a dropped connection. */
  resumeToken: z.string(),
  /** True when this join resumed the previous one (same peer id, nobody was told). */
  resumed: z.boolean(),
});

export const roomSummarySchema = z.strictObject({
  roomId: z.string(),
  name: z.string(),
  /** Who may come in. */
  access: accessSchema,
  /** `access === 'locked'`, kept for clients written before `access`. */
  locked: z.boolean(),
  maxParticipants: z.number().int(),
});

export const joinSuccessSchema = z.strictObject({
  ok: z.literal(true),
  self: selfInfoSchema,
  room: roomSummarySchema,
  peers: z.array(peerInfoSchema),
  iceServers: z.array(iceServerSchema),
  /** 'relay' when the operator sends all media through TURN (hides addresses, or for tests). */
  iceTransportPolicy: z.enum(['all', 'relay']),
  /** Upstream a browser may use for all its video copies together (bits/s); it splits this between peers. */
  upstreamBudgetBps: z.number().int().positive(),
});

export const failureSchema = z.strictObject({ ok: z.literal(false), error: errorSchema });

/**
 * A guest's join into an `ask` room while the host has not let them in yet:
 * not an error, a state. The connection waits; `admitted` tells it to send
 * the same join again (with `identity`), `join-denied` that it was not let in.
 */
export const joinWaitingSchema = z.strictObject({
  ok: z.literal(true),
  waiting: z.strictObject({
    /** This request; a repeated join from the same identity gets the same one. */
    requestId: requestIdSchema,
    /** Whether a host is in the meeting now (`host-presence` tells of changes). */
    hostPresent: z.boolean(),
    /** When the request lapses unanswered (`join-denied {reason:'expired'}`). */
    expiresAt: z.iso.datetime(),
  }),
  /** The identity token the request is for: send it as `join.identity` when admitted. */
  identity: identityTokenSchema,
  room: roomSummarySchema,
});

/** `{ok:true, self, …}` (in), `{ok:true, waiting, …}` (waiting for the host), or `{ok:false, error}`. */
export const joinAckSchema = z.union([joinSuccessSchema, joinWaitingSchema, failureSchema]);

export const okAckSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  failureSchema,
]);

export const peerJoinedSchema = peerInfoSchema;

export const peerLeftSchema = z.strictObject({
  peerId: peerIdSchema,
  reason: leaveReasonSchema,
});

/** A member whose connection dropped came back within the grace period (same peer id): signals sent meanwhile are lost. */
export const peerResumedSchema = z.strictObject({ peerId: peerIdSchema });

export const signalEventSchema = z.strictObject({
  from: peerIdSchema,
  data: signalDataSchema,
});

export const peerMediaStateSchema = mediaStateSchema.extend({ peerId: peerIdSchema });

export const roomUpdatedSchema = z.strictObject({
  access: accessSchema,
  /** `access === 'locked'`, kept for clients written before `access`. */
  locked: z.boolean(),
});

/** A request waiting for the host, as hosts see it. */
export const joinRequestInfoSchema = z.strictObject({
  requestId: requestIdSchema,
  /** The name the guest typed (cleaned like every displayed name). */
  name: z.string(),
  requestedAt: z.iso.datetime(),
});

/** To hosts: every request waiting now, oldest first (the whole list each time, so it replaces the last one). */
export const joinRequestsSchema = z.strictObject({ requests: z.array(joinRequestInfoSchema) });

/** To a waiting guest: the host let them in; send the same `join` again, with the waiting ack's `identity`. */
export const admittedSchema = z.strictObject({ requestId: requestIdSchema });

/**
 * To a waiting guest: the request is over without admission. `denied` (the
 * host said no), `expired` (unanswered for too long), `locked` (the host
 * locked the meeting), `ended` (the host ended it).
 */
export const joinDeniedSchema = z.strictObject({
  requestId: requestIdSchema,
  reason: z.enum(['denied', 'expired', 'locked', 'ended']),
});

/** To waiting guests: whether a host is in the meeting now ("the host is not there yet" when false). */
export const hostPresenceSchema = z.strictObject({ present: z.boolean() });

/** To a guest: the host asks them to mute; the client turns its microphone off. `by` is the host's name. */
export const mutedByHostSchema = z.strictObject({ by: z.string() });

export const chatMessageSchema = z.strictObject({
  id: z.string(),
  from: peerIdSchema,
  name: z.string(),
  text: z.string(),
  sentAt: z.iso.datetime(),
});

export const removedSchema = z.strictObject({ by: z.literal('host') });

export const roomEndedSchema = z.strictObject({ by: z.literal('host') });

/**
 * Sent just before the server closes this connection on its own initiative
 * (a flood past RATE_LIMITED, too many connections from one address, no join
 * within the join deadline). The client is told why instead of guessing.
 */
export const closingSchema = errorSchema;

/* ---------- inferred types ---------- */

export type MediaState = z.infer<typeof mediaStateSchema>;
export type Role = z.infer<typeof roleSchema>;
export type SessionDescription = z.infer<typeof sessionDescriptionSchema>;
export type IceCandidate = z.infer<typeof iceCandidateSchema>;
export type SignalData = z.infer<typeof signalDataSchema>;
export type IceServer = z.infer<typeof iceServerSchema>;
export type PeerInfo = z.infer<typeof peerInfoSchema>;
export type LeaveReason = z.infer<typeof leaveReasonSchema>;
export type JoinRequest = z.input<typeof joinRequestSchema>;
export type SignalRequest = z.infer<typeof signalRequestSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type HostLockRequest = z.infer<typeof hostLockRequestSchema>;
export type HostRemoveRequest = z.infer<typeof hostRemoveRequestSchema>;
export type HostAccessRequest = z.infer<typeof hostAccessRequestSchema>;
export type HostRequestDecision = z.infer<typeof hostRequestDecisionSchema>;
export type HostMuteRequest = z.infer<typeof hostMuteRequestSchema>;
export type Access = z.infer<typeof accessSchema>;
export type JoinWaiting = z.infer<typeof joinWaitingSchema>;
export type JoinRequestInfo = z.infer<typeof joinRequestInfoSchema>;
export type JoinRequests = z.infer<typeof joinRequestsSchema>;
export type Admitted = z.infer<typeof admittedSchema>;
export type JoinDenied = z.infer<typeof joinDeniedSchema>;
export type HostPresence = z.infer<typeof hostPresenceSchema>;
export type MutedByHost = z.infer<typeof mutedByHostSchema>;
export type SelfInfo = z.infer<typeof selfInfoSchema>;
export type RoomSummary = z.infer<typeof roomSummarySchema>;
export type JoinSuccess = z.infer<typeof joinSuccessSchema>;
export type Failure = z.infer<typeof failureSchema>;
export type JoinAck = z.infer<typeof joinAckSchema>;
export type OkAck = z.infer<typeof okAckSchema>;
export type PeerJoined = z.infer<typeof peerJoinedSchema>;
export type PeerLeft = z.infer<typeof peerLeftSchema>;
export type PeerResumed = z.infer<typeof peerResumedSchema>;
export type SignalEvent = z.infer<typeof signalEventSchema>;
export type PeerMediaState = z.infer<typeof peerMediaStateSchema>;
export type RoomUpdated = z.infer<typeof roomUpdatedSchema>;
export type Closing = z.infer<typeof closingSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type Removed = z.infer<typeof removedSchema>;
export type RoomEnded = z.infer<typeof roomEndedSchema>;
