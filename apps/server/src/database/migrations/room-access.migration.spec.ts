import { createDataSource } from '../data-source';
import { type ScratchDatabase, scratchBackends } from '../scratch-database';

describe.each(scratchBackends('room access migration'))('the room access migration on %s', (_name, makeScratch) => {
  let scratch: ScratchDatabase;
  beforeEach(async () => {
    scratch = await makeScratch();
  });
  afterEach(async () => {
    await scratch.drop();
  });

  it('gives rooms locked before it the access mode locked, the others open, and reverts', async () => {
    const dataSource = createDataSource(scratch.config);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration();
      // Rooms as the schema before `access` held them (booleans as 0/1, as both databases store them).
      for (const [id, locked] of [['aaa-aaaa-aaa', 1], ['bbb-bbbb-bbb', 0]] as const) {
        await dataSource.query(
          'INSERT INTO rooms (id, name, host_key_hash, locked, max_participants, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [id, 'Old', 'a'.repeat(64), locked, 6, '2026-01-01 00:00:00.000'],
        );
      }
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(['RoomAccess1796000000000']);
      const rows = (await dataSource.query('SELECT id, access FROM rooms ORDER BY id')) as Array<{ id: string; access: string }>;
      expect(rows).toEqual([
        { id: 'aaa-aaaa-aaa', access: 'locked' },
        { id: 'bbb-bbbb-bbb', access: 'open' },
      ]);
      await dataSource.undoLastMigration();
      expect(await dataSource.runMigrations()).toHaveLength(1);
    } finally {
      await dataSource.destroy();
    }
  });
});
