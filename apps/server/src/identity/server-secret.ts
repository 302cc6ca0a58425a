import { randomBytes } from 'node:crypto';
import type { DatabaseService } from '../database/database.service';
import { ServerSecretEntity } from '../database/entities';

/**
 * The secret named `name` from the database, generated (32 random bytes) by
 * whichever process asks first. INSERT-or-ignore then read: processes that
 * start together all end up with the one row that won.
 */
export async function loadOrCreateServerSecret(database: DatabaseService, name: string): Promise<Buffer> {
  return database.run('load server secret', async (dataSource) => {
    const secrets = dataSource.getRepository(ServerSecretEntity);
    await secrets
      .createQueryBuilder()
      .insert()
      .values({ name, value: randomBytes(32).toString('base64url'), createdAt: new Date() })
      .orIgnore()
      .execute();
    const row = await secrets.findOneByOrFail({ name });
    return Buffer.from(row.value, 'base64url');
  });
}
