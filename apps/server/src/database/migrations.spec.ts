import { createDataSource } from './data-source';
import { MIGRATIONS } from './migrations';
import { type ScratchDatabase, scratchBackends } from './scratch-database';

/** The tables the migrations make, besides TypeORM's own `migrations`. */
const TABLES = ['participations', 'quality_samples', 'rooms', 'server_nodes', 'server_secrets', 'users'];

async function tablesOf(dataSource: ReturnType<typeof createDataSource>): Promise<string[]> {
  const rows = (await dataSource.query(
    dataSource.options.type === 'mysql' ? 'SHOW TABLES' : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )) as Record<string, string>[];
  return rows.map((row) => Object.values(row)[0]).filter((name) => name !== 'migrations').sort();
}

describe.each(scratchBackends('migrations on MariaDB/MySQL'))('the migrations on %s', (_, makeScratch) => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await makeScratch();
  });
  afterAll(() => scratch?.drop());

  it('apply in order, revert one by one to nothing, and apply again', async () => {
    const dataSource = createDataSource(scratch.config);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      expect(await tablesOf(dataSource)).toEqual(TABLES);
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await tablesOf(dataSource)).not.toContain('quality_samples');
      for (const _ of applied.slice(1)) await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await tablesOf(dataSource)).toEqual([]);
      expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(applied.length);
      expect(await dataSource.runMigrations()).toHaveLength(0);
      expect(await tablesOf(dataSource)).toEqual(TABLES);
    } finally {
      await dataSource.destroy();
    }
  });
});
