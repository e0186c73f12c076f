// Every migration, in order. Listed explicitly (not globbed) so the recorded names never
// carry a .ts/.js extension and the order never depends on the file system.
import type { Migration } from './columns.js';
import { migration as foundation } from './001-foundation.js';
import { migration as accounts } from './002-accounts.js';

export const MIGRATIONS: readonly Migration[] = [foundation, accounts];
export type { Migration };
