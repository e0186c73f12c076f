// The one place permissions are checked.
import type { Actor } from '../context.js';
import { Forbidden } from '../errors.js';

/** The system (migrations, CLI, setup) holds the wildcard; no role can carry it. */
export const ALL = '*';

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has(ALL) || actor.permissions.has(permission);
}

export function authorize(actor: Actor, permission: string): void {
  if (!can(actor, permission)) throw new Forbidden(`You need the "${permission}" permission to do that.`, permission);
}
