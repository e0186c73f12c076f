// Every table's model, bound to one Sequelize instance.
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Context } from '../context.js';
import type { Sql } from './sql.js';
import { defineUserModel } from '../users/user-model.js';
import { defineRoleModels } from '../roles/role-model.js';
import { defineAuditModel } from '../audit/audit-model.js';
import { defineOutboxModel } from '../mail/outbox-model.js';
import { defineSettingModel } from '../settings/setting-model.js';
import { defineSetupTokenModel } from '../setup/setup-token-model.js';
import { defineInvitationModels } from '../invitations/invitation-model.js';
import { defineSeatPoolModel } from '../seats/seat-pool-model.js';
import { defineEmailConfirmationModel } from '../registration/email-confirmation-model.js';
import { defineClientModel } from '../clients/client-model.js';
import { defineSignInFailureModel } from '../signin/throttle-model.js';
import { defineWebSessionModel } from '../web/session/web-session-model.js';
import { defineRecoveryCodeModel } from '../totp/recovery-code-model.js';
import { defineUpstreamModels } from '../upstream/upstream-models.js';
import { defineScimTokenModel } from '../scim-tokens/scim-token-model.js';
import { definePasswordResetModel } from '../passwords/password-reset-model.js';
import { defineUserSearchTermModel } from '../users/user-search-term-model.js';
import { defineReactivationLinkModel } from '../users/reactivation-link-model.js';
import { defineDirectoryModels } from '../directory/directory-models.js';
import { defineEmailChangeModel } from '../users/email-change-model.js';
import { defineConnectionModels } from '../connections/connection-model.js';
import { defineWebhookModels } from '../webhooks/webhook-model.js';
import { definePasskeyModels } from '../passkeys/passkey-model.js';
import { defineSmsOutboxModel } from '../sms/sms-outbox-model.js';
import { definePhoneCodeModel } from '../phones/phone-code-model.js';

export function defineModels(sequelize: Sequelize, sql: Sql) {
  return {
    /** Plain SQL for the hot paths (sql.ts). */
    sql,
    User: defineUserModel(sequelize),
    ...defineRoleModels(sequelize),
    AuditEvent: defineAuditModel(sequelize),
    MailOutbox: defineOutboxModel(sequelize),
    Setting: defineSettingModel(sequelize),
    SetupToken: defineSetupTokenModel(sequelize),
    ...defineInvitationModels(sequelize),
    SeatPool: defineSeatPoolModel(sequelize),
    EmailConfirmation: defineEmailConfirmationModel(sequelize),
    Client: defineClientModel(sequelize),
    SignInFailure: defineSignInFailureModel(sequelize),
    WebSession: defineWebSessionModel(sequelize),
    RecoveryCode: defineRecoveryCodeModel(sequelize),
    ...defineUpstreamModels(sequelize),
    ScimToken: defineScimTokenModel(sequelize),
    PasswordReset: definePasswordResetModel(sequelize),
    // The admin users list and reactivation links (migrations/006-users-list.ts).
    UserSearchTerm: defineUserSearchTermModel(sequelize),
    ReactivationLink: defineReactivationLinkModel(sequelize),
    // LDAP sync and CSV import (migrations/008-directory.ts).
    ...defineDirectoryModels(sequelize),
    // Email changes by someone else and their "it wasn't me" links (migrations/010-email-changes.ts).
    EmailChange: defineEmailChangeModel(sequelize),
    // Provisioning connections and the externalId each keeps per account (migrations/015-provisioning-connections.ts).
    ...defineConnectionModels(sequelize),
    // Lifecycle webhooks per application and their delivery outbox (migrations/020-webhooks.ts).
    ...defineWebhookModels(sequelize),
    // Passkeys and WebAuthn challenges (migrations/021-passkeys.ts).
    ...definePasskeyModels(sequelize),
    // Text messages and the one-time codes proving phone numbers (migrations/018-phone-verification.ts).
    SmsOutbox: defineSmsOutboxModel(sequelize),
    PhoneCode: definePhoneCodeModel(sequelize),
    /** A read-only SQL query with named replacements, in the context's transaction if any. */
    sequelizeQuery: <T extends object>(sql: string, replacements: Record<string, unknown>, ctx?: Context): Promise<T[]> =>
      sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction: ctx?.transaction }),
  };
}

export type Models = ReturnType<typeof defineModels>;
