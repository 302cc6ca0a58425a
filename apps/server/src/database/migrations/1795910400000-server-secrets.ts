import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Secrets the server generates for itself (the identity signing key when
 * IDENTITY_SECRET is not set), shared by every process through the database.
 * Table API, so it runs on SQLite and MySQL.
 */
export class ServerSecrets1795910400000 implements MigrationInterface {
  name = 'ServerSecrets1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'server_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'value', type: 'varchar', length: '128' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('server_secrets');
  }
}
