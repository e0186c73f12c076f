import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

/** One searchable word of an account (src/users/user-search-terms.ts). */
export interface UserSearchTermAttributes {
  id: number;
  userId: string;
  term: string;
}

export function defineUserSearchTermModel(sequelize: Sequelize) {
  return sequelize.define(
    'user_search_terms',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      term: { type: DataTypes.STRING(100), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<UserSearchTermAttributes, 'id'>;
}
