// Every migration, in order. Listed explicitly (not globbed) so the recorded names never
// carry a .ts/.js extension and the order never depends on the file system.
import type { Migration } from './columns.js';
import { migration as upstream } from './007-upstream.js';
import { migration as foundation } from './001-foundation.js';
import { migration as accounts } from './002-accounts.js';
import { migration as oidc } from './003-oidc.js';
import { migration as scim } from './004-scim.js';
import { migration as invitations } from './005-invitations.js';
import { migration as usersList } from './006-users-list.js';
import { migration as directory } from './008-directory.js';
import { migration as scimTokenPermissions } from './009-scim-token-permissions.js';
import { migration as emailChanges } from './010-email-changes.js';
import { migration as signInSourceOwners } from './011-sign-in-source-owners.js';
import { migration as clientSigningAlg } from './012-client-signing-alg.js';
import { migration as seatRefusalNotices } from './016-seat-refusal-notices.js';
import { migration as optionalEmail } from './013-optional-email.js';
import { migration as userValues } from './014-user-values.js';
import { migration as provisioningConnections } from './015-provisioning-connections.js';
import { migration as accessEndDates } from './017-access-end-dates.js';
import { migration as phoneVerification } from './018-phone-verification.js';
import { migration as webhooks } from './020-webhooks.js';
import { migration as passkeys } from './021-passkeys.js';
import { migration as sessionDevicesAndRowKinds } from './023-session-devices-and-row-kinds.js';
import { migration as apiIdempotencyKeys } from './019-api-idempotency-keys.js';

export const MIGRATIONS: readonly Migration[] = [foundation, accounts, oidc, scim, invitations, usersList, upstream, directory, scimTokenPermissions, emailChanges, signInSourceOwners, clientSigningAlg, optionalEmail, userValues, provisioningConnections, seatRefusalNotices, accessEndDates, phoneVerification, webhooks, passkeys, sessionDevicesAndRowKinds, apiIdempotencyKeys, groupExternalIds];
import { migration as groupExternalIds } from './022-group-external-ids.js';


export type { Migration };
