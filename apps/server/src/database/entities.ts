import type { Access } from '@mesh-meet/protocol';
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

  /** `access === 'locked'`, kept in step with it for readers of the table written before `access`. */
  @Column({ type: 'boolean', default: false })
  locked!: boolean;

  /** Who may come in: `open`, `ask` (guests wait for the host) or `locked`. */
  @Column({ type: 'varchar', length: 8, default: 'open' })
  access!: Access;

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

export const ENTITIES = [RoomEntity, UserEntity, ParticipationEntity, ServerNodeEntity, ServerSecretEntity];
