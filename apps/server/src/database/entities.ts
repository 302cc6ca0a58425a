import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * Column types are the portable subset that maps the same way on SQLite and
 * MySQL; times are stored in UTC with millisecond precision.
 */

@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  id!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  /** sha256 of the host key, hex. The key itself is never stored. */
  @Column({ name: 'host_key_hash', type: 'varchar', length: 64 })
  hostKeyHash!: string;

  @Column({ type: 'boolean', default: false })
  locked!: boolean;

  @Column({ name: 'max_participants', type: 'int' })
  maxParticipants!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true })
  endedAt!: Date | null;
}

@Entity({ name: 'users' })
export class UserEntity {
  /** The anonymous identity the browser keeps (a UUID). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 40 })
  displayName!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 })
  lastSeenAt!: Date;
}

@Entity({ name: 'participations' })
@Index('idx_participations_room', ['roomId'])
@Index('idx_participations_open', ['nodeId', 'leftAt'])
export class ParticipationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'room_id', type: 'varchar', length: 12 })
  roomId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'peer_id', type: 'varchar', length: 32 })
  peerId!: string;

  /** The name shown in this meeting (a user may rename between meetings). */
  @Column({ name: 'display_name', type: 'varchar', length: 40 })
  displayName!: string;

  @Column({ type: 'varchar', length: 8 })
  role!: 'host' | 'guest';

  /**
   * Which server process holds the connection (moved on a resume onto another
   * process), so a restart closes only its own rows.
   */
  @Column({ name: 'node_id', type: 'varchar', length: 64 })
  nodeId!: string;

  @Column({ name: 'joined_at', type: 'datetime', precision: 3 })
  joinedAt!: Date;

  @Column({ name: 'left_at', type: 'datetime', precision: 3, nullable: true })
  leftAt!: Date | null;

  @Column({ name: 'left_reason', type: 'varchar', length: 16, nullable: true })
  leftReason!: string | null;
}

/** One row a server process, touched every few seconds: the last time it was known alive. */
@Entity({ name: 'server_nodes' })
export class ServerNodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 })
  lastSeenAt!: Date;
}

/** A secret the server generated for itself, by name (e.g. `identity`). Never logged. */
@Entity({ name: 'server_secrets' })
export class ServerSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  /** base64url of random bytes. */
  @Column({ type: 'varchar', length: 128 })
  value!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/**
 * One call-quality sample: what `from` measured on its link with `to` over
 * `windowSec` seconds up to `at` (the server's receipt time). Tied to the two
 * attendance rows; no addresses, no SDP. `…In` is media from `to` to `from`.
 */
@Entity({ name: 'quality_samples' })
@Index('idx_quality_samples_room_at', ['roomId', 'at'])
@Index('idx_quality_samples_at', ['at'])
export class QualitySampleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'room_id', type: 'varchar', length: 12 })
  roomId!: string;

  @Column({ name: 'from_participation_id', type: 'varchar', length: 36 })
  fromParticipationId!: string;

  @Column({ name: 'to_participation_id', type: 'varchar', length: 36 })
  toParticipationId!: string;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ name: 'window_sec', type: 'double' })
  windowSec!: number;

  @Column({ name: 'rtt_ms', type: 'double', nullable: true })
  rttMs!: number | null;

  @Column({ name: 'loss_in', type: 'double', nullable: true })
  lossIn!: number | null;

  @Column({ name: 'loss_out', type: 'double', nullable: true })
  lossOut!: number | null;

  @Column({ name: 'jitter_ms', type: 'double', nullable: true })
  jitterMs!: number | null;

  @Column({ name: 'bitrate_in', type: 'int', nullable: true })
  bitrateIn!: number | null;

  @Column({ name: 'bitrate_out', type: 'int', nullable: true })
  bitrateOut!: number | null;

  @Column({ name: 'fps_in', type: 'double', nullable: true })
  fpsIn!: number | null;

  @Column({ name: 'frame_height_in', type: 'int', nullable: true })
  frameHeightIn!: number | null;

  @Column({ name: 'freeze_count', type: 'int', nullable: true })
  freezeCount!: number | null;

  @Column({ name: 'total_freezes_duration', type: 'double', nullable: true })
  totalFreezesDuration!: number | null;

  @Column({ name: 'local_candidate_type', type: 'varchar', length: 8, nullable: true })
  localCandidateType!: string | null;

  @Column({ name: 'remote_candidate_type', type: 'varchar', length: 8, nullable: true })
  remoteCandidateType!: string | null;

  @Column({ name: 'relay_protocol', type: 'varchar', length: 4, nullable: true })
  relayProtocol!: string | null;

  @Column({ name: 'quality_limitation_reason', type: 'varchar', length: 16, nullable: true })
  qualityLimitationReason!: string | null;

  @Column({ name: 'ice_restarts', type: 'int', nullable: true })
  iceRestarts!: number | null;
}

export const ENTITIES = [RoomEntity, UserEntity, ParticipationEntity, ServerNodeEntity, ServerSecretEntity, QualitySampleEntity];
