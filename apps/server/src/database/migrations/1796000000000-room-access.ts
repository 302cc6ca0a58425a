import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * A room's access mode (`open`, `ask`, `locked`) replaces the boolean lock as
 * what the server enforces; rooms locked before keep being locked. Table API
 * and a plain UPDATE, so it runs on SQLite and MySQL (both store the boolean
 * as 0/1).
 */
export class RoomAccess1796000000000 implements MigrationInterface {
  name = 'RoomAccess1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'rooms',
      new TableColumn({ name: 'access', type: 'varchar', length: '8', default: "'open'" }),
    );
    await queryRunner.query(`UPDATE rooms SET access = 'locked' WHERE locked = 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('rooms', 'access');
  }
}
