// Column shapes shared by migrations. Only portable types: the same
// definition must produce the same schema on SQLite and MySQL/MariaDB.
import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

export const uuidKey = (): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(36), allowNull: false, primaryKey: true });
export const serialKey = (): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull: false, primaryKey: true, autoIncrement: true });
export const str = (length: number, allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(length), allowNull });
export const text = (allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.TEXT, allowNull });
export const int = (allowNull = true, defaultValue?: number): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull, defaultValue });
export const bool = (defaultValue: boolean): ModelAttributeColumnOptions => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });
/** Millisecond precision on MySQL too, so ordering and expiry agree across dialects. */
export const time = (allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.DATE(3), allowNull });
export const day = (): ModelAttributeColumnOptions => ({ type: DataTypes.DATEONLY, allowNull: true });
export const references = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});

export interface Migration {
  name: string;
  up(qi: import('sequelize').QueryInterface): Promise<void>;
  down(qi: import('sequelize').QueryInterface): Promise<void>;
}
