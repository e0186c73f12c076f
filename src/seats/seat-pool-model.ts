import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import type { Kind } from '../users/user-model.js';

export interface SeatPoolAttributes {
  pool: Kind;
  seatLimit: number | null;
  inUse: number;
  /** UTC day (YYYY-MM-DD) of the last refusal notice to the holders of seats.manage. */
  refusalNoticedOn: string | null;
  updatedAt: Date;
}

export function defineSeatPoolModel(sequelize: Sequelize) {
  return sequelize.define(
    'seat_pools',
    {
      pool: { type: DataTypes.STRING(16), primaryKey: true },
      seatLimit: { type: DataTypes.INTEGER, allowNull: true },
      inUse: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      refusalNoticedOn: { type: DataTypes.STRING(10), allowNull: true },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<SeatPoolAttributes, 'inUse' | 'refusalNoticedOn'>;
}
