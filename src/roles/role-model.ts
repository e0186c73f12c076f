import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import type { BuiltInRoleKey } from './permission-catalogue.js';

export interface RoleAttributes {
  id: string;
  name: string;
  nameNormalized: string;
  builtin: BuiltInRoleKey | null;
  description: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RolePermissionAttributes {
  roleId: string;
  permission: string;
}

export interface UserRoleAttributes {
  userId: string;
  roleId: string;
  createdAt: Date;
}

export function defineRoleModels(sequelize: Sequelize) {
  const Role = sequelize.define(
    'roles',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      nameNormalized: { type: DataTypes.STRING(100), allowNull: false },
      builtin: { type: DataTypes.STRING(16), allowNull: true },
      description: { type: DataTypes.STRING(500), allowNull: true },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<RoleAttributes, 'builtin' | 'description' | 'version'>;
  const RolePermission = sequelize.define(
    'role_permissions',
    {
      roleId: { type: DataTypes.STRING(36), primaryKey: true },
      permission: { type: DataTypes.STRING(100), primaryKey: true },
    },
    TABLE_OPTIONS,
  ) as Table<RolePermissionAttributes>;
  const UserRole = sequelize.define(
    'user_roles',
    {
      userId: { type: DataTypes.STRING(36), primaryKey: true },
      roleId: { type: DataTypes.STRING(36), primaryKey: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<UserRoleAttributes>;
  return { Role, RolePermission, UserRole };
}
