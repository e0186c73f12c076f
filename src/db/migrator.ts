// Applies migrations (umzug) at start and from the CLI, and tells /readyz whether the
// schema is current. Names are recorded exactly as listed in migrations/index.ts.
import { Umzug, SequelizeStorage } from 'umzug';
import type { QueryInterface } from 'sequelize';
import { MIGRATIONS } from '../../migrations/index.js';
import type { Database } from './database.js';
import type { Logger } from '../logger.js';

export const MIGRATIONS_TABLE = 'schema_migrations';

function createUmzug(db: Database, logger?: Logger): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations: MIGRATIONS.map((m) => ({
      name: m.name,
      up: ({ context }) => m.up(context),
      down: ({ context }) => m.down(context),
    })),
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: MIGRATIONS_TABLE }),
    logger: logger
      ? { info: (m) => logger.info(m, 'migration'), warn: (m) => logger.warn(m, 'migration'), error: (m) => logger.error(m, 'migration'), debug: (m) => logger.debug(m, 'migration') }
      : undefined,
  });
}

export async function migrate(db: Database, logger?: Logger): Promise<string[]> {
  const applied = await db.unbounded(() => createUmzug(db, logger).up());
  return applied.map((m) => m.name);
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const pending = await createUmzug(db).pending();
  return pending.map((m) => m.name);
}
