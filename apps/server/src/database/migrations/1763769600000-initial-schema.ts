import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const datetime = (name: string, nullable = false) => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});

/** Rooms, users, attendance and server liveness. Written with the Table API so it runs on SQLite and MySQL. */
export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rooms',
        columns: [
          { name: 'id', type: 'varchar', length: '12', isPrimary: true },
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'host_key_hash', type: 'varchar', length: '64' },
          { name: 'locked', type: 'boolean', default: false },
          { name: 'max_participants', type: 'int' },
          datetime('created_at'),
          datetime('ended_at', true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'display_name', type: 'varchar', length: '40' },
          datetime('created_at'),
          datetime('last_seen_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'participations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'room_id', type: 'varchar', length: '12' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'peer_id', type: 'varchar', length: '32' },
          { name: 'display_name', type: 'varchar', length: '40' },
          { name: 'role', type: 'varchar', length: '8' },
          { name: 'node_id', type: 'varchar', length: '64' },
          datetime('joined_at'),
          datetime('left_at', true),
          { name: 'left_reason', type: 'varchar', length: '16', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_participations_room', columnNames: ['room_id'] }),
          new TableIndex({ name: 'idx_participations_open', columnNames: ['node_id', 'left_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_participations_room',
            columnNames: ['room_id'],
            referencedTableName: 'rooms',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'fk_participations_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'server_nodes',
        columns: [{ name: 'id', type: 'varchar', length: '64', isPrimary: true }, datetime('last_seen_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('server_nodes');
    await queryRunner.dropTable('participations');
    await queryRunner.dropTable('users');
    await queryRunner.dropTable('rooms');
  }
}
