import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const nullable = (name: string, type: 'double' | 'int') => ({ name, type, isNullable: true });
const kind = (name: string, length: number) => ({ name, type: 'varchar', length: String(length), isNullable: true });

/**
 * Call-quality samples (issue 11), tied to the two attendance rows of a link.
 * Deleted with their room or participations (cascade) and by the retention
 * prune (idx_quality_samples_at). Table API, so it runs on SQLite and MySQL.
 */
export class QualitySamples1796000000000 implements MigrationInterface {
  name = 'QualitySamples1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'quality_samples',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'room_id', type: 'varchar', length: '12' },
          { name: 'from_participation_id', type: 'varchar', length: '36' },
          { name: 'to_participation_id', type: 'varchar', length: '36' },
          { name: 'at', type: 'datetime', precision: 3 },
          { name: 'window_sec', type: 'double' },
          nullable('rtt_ms', 'double'),
          nullable('loss_in', 'double'),
          nullable('loss_out', 'double'),
          nullable('jitter_ms', 'double'),
          nullable('bitrate_in', 'int'),
          nullable('bitrate_out', 'int'),
          nullable('fps_in', 'double'),
          nullable('frame_height_in', 'int'),
          nullable('freeze_count', 'int'),
          nullable('total_freezes_duration', 'double'),
          kind('local_candidate_type', 8),
          kind('remote_candidate_type', 8),
          kind('relay_protocol', 4),
          kind('quality_limitation_reason', 16),
          nullable('ice_restarts', 'int'),
        ],
        indices: [
          // The report and the per-meeting cap read a room's samples in time order.
          new TableIndex({ name: 'idx_quality_samples_room_at', columnNames: ['room_id', 'at'] }),
          new TableIndex({ name: 'idx_quality_samples_at', columnNames: ['at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_quality_samples_room',
            columnNames: ['room_id'],
            referencedTableName: 'rooms',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_quality_samples_from',
            columnNames: ['from_participation_id'],
            referencedTableName: 'participations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_quality_samples_to',
            columnNames: ['to_participation_id'],
            referencedTableName: 'participations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('quality_samples');
  }
}
