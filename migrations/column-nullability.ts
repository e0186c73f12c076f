// Changes whether string columns accept NULL, keeping everything else about the table.
//
// MySQL/MariaDB alter the column in place. SQLite cannot alter a column: the table is
// rebuilt by SQLite's own recipe (a copy under the new definition, the old one dropped,
// the copy renamed, the indexes recreated), with foreign key enforcement off meanwhile —
// with it on, dropping a table that others reference would delete or refuse their rows —
// and the references checked before commit. Sequelize's own changeColumn on SQLite drops
// the table's indexes and, with foreign keys on, cascades the drop into other tables.
import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

export interface StringColumn {
  name: string;
  length: number;
}

export async function setNullable(qi: QueryInterface, table: string, columns: readonly StringColumn[], nullable: boolean): Promise<void> {
  if (qi.sequelize.getDialect() !== 'sqlite') {
    for (const c of columns) await qi.changeColumn(table, c.name, { type: DataTypes.STRING(c.length), allowNull: nullable });
    return;
  }
  await rebuildSqliteTable(qi, table, (createSql) => columns.reduce((sql, c) => withNullability(sql, c, nullable), createSql));
}

/** The column's definition in a CREATE TABLE statement, with or without NOT NULL. */
function withNullability(createSql: string, column: StringColumn, nullable: boolean): string {
  const definition = new RegExp(`\`${column.name}\` VARCHAR\\(${column.length}\\)( NOT NULL)?(?=[ ,)])`);
  if (!definition.test(createSql)) throw new Error(`Column ${column.name} VARCHAR(${column.length}) not found in: ${createSql}`);
  return createSql.replace(definition, `\`${column.name}\` VARCHAR(${column.length})${nullable ? '' : ' NOT NULL'}`);
}

async function rebuildSqliteTable(qi: QueryInterface, table: string, redefine: (createSql: string) => string): Promise<void> {
  const sequelize = qi.sequelize;
  const select = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const [definition] = await select<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table", { table });
  if (!definition) throw new Error(`No table ${table}`);
  const indexes = await select<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL", { table });
  const columns = (await select<{ name: string }>(`PRAGMA table_info(\`${table}\`)`)).map((c) => `\`${c.name}\``).join(', ');
  const copy = `${table}_rebuilt`;
  // SQLite keeps the statement as written: back-quoted by Sequelize, double-quoted after a rename.
  const head = new RegExp(`^CREATE TABLE (\`${table}\`|"${table}") \\(`);
  if (!head.test(definition.sql)) throw new Error(`Unexpected definition of ${table}: ${definition.sql}`);
  const createCopy = redefine(definition.sql).replace(head, `CREATE TABLE \`${copy}\` (`);

  // Outside any transaction, as SQLite ignores the pragma inside one; these statements run
  // on the one connection that queries without a transaction use.
  await sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await sequelize.query('BEGIN IMMEDIATE');
    try {
      await sequelize.query(createCopy);
      await sequelize.query(`INSERT INTO \`${copy}\` (${columns}) SELECT ${columns} FROM \`${table}\``);
      await sequelize.query(`DROP TABLE \`${table}\``);
      await sequelize.query(`ALTER TABLE \`${copy}\` RENAME TO \`${table}\``);
      for (const index of indexes) await sequelize.query(index.sql);
      const broken = await select<object>('PRAGMA foreign_key_check');
      if (broken.length) throw new Error(`Rebuilding ${table} broke ${broken.length} foreign key reference(s)`);
      await sequelize.query('COMMIT');
    } catch (err) {
      await sequelize.query('ROLLBACK');
      throw err;
    }
  } finally {
    await sequelize.query('PRAGMA foreign_keys = ON');
  }
}
