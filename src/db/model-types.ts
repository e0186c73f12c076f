// A typed Sequelize model bound to one Sequelize instance (each test suite has its own,
// so models are defined per instance with sequelize.define, never as global classes).
import type { Model, ModelStatic, Optional } from 'sequelize';

export type Row<A extends object, C extends keyof A = never> = Model<A, Optional<A, C>> & A;
export type Table<A extends object, C extends keyof A = never> = ModelStatic<Row<A, C>>;

export const TABLE_OPTIONS = { underscored: true, timestamps: false, freezeTableName: true } as const;
