// An account as one SCIM client sees it: with the externalId of the client's own
// provisioning connection only (RFC 7643 §3.1: externalId is scoped to the provisioning
// domain), never another directory's value for the same account.
import { externalIdIn } from '../../src/connections/external-ids.js';
import type { UserView } from '../../src/users/user-presenter.js';
import type { ScimCall } from '../context.js';

export type ConnectionUserView = UserView & { externalId: string | null };

export function seenBy(call: ScimCall, user: UserView): ConnectionUserView {
  return { ...user, externalId: externalIdIn(user.externalIds, call.ctx.connectionId) };
}
