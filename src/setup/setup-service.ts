// First start: while no owner exists, each start issues a one-time
// link /setup?token=… (256-bit, stored hashed, single use) where the first person creates
// the owner. Once an owner exists every setup link is dead.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import { systemActor, type Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Gone, NotFound } from '../errors.js';
import { hashToken, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { RoleService } from '../roles/role-service.js';
import type { UserService } from '../users/user-service.js';
import { addressOf, type UserView } from '../users/user-presenter.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import { ownerWelcomeMail } from '../mail/templates/owner-welcome.js';

export interface OwnerInput {
  name: string;
  email: string;
  username?: string;
}

export class SetupService {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly options: { publicUrl: string; tokenTtlHours: number },
  ) {}

  async ownerExists(): Promise<boolean> {
    return (await this.roles.ownerId()) !== null;
  }

  /** Issues a setup link if no owner exists yet; returns its URL (to be logged) or null. */
  async issueLinkIfNeeded(ctx: Context): Promise<string | null> {
    if (await this.ownerExists()) return null;
    const token = newToken();
    const now = this.clock.now();
    await this.transactions.run(ctx, async (tx) => {
      await this.models.SetupToken.create({ tokenHash: hashToken(token), createdAt: now, expiresAt: addMs(now, this.options.tokenTtlHours * HOUR_MS) }, { transaction: tx.transaction });
      await this.audit.record(tx, 'setup.link_issued', { expiresInHours: this.options.tokenTtlHours });
    });
    return `${this.options.publicUrl}/setup?token=${encodeURIComponent(token)}`;
  }

  /** Throws NotFound for an unknown token and Gone for a used or expired one. */
  async checkToken(token: string): Promise<void> {
    if (await this.ownerExists()) throw new Gone('Setup is complete: the owner account exists. Sign in instead.');
    const row = await this.models.SetupToken.findOne({ where: { tokenHash: hashToken(token ?? '') } });
    if (!row) throw new NotFound('This setup link is not valid. Use the link printed in the server log at start-up.');
    if (row.usedAt) throw new Gone('This setup link has already been used.');
    if (row.expiresAt <= this.clock.now()) throw new Gone('This setup link has expired. Restart Gatehouse to print a new one.');
  }

  /** Creates the owner with a valid token; every setup link dies in the same transaction. */
  async createOwner(ctx: Context, token: string, input: OwnerInput, password: string): Promise<UserView> {
    await this.checkToken(token);
    // The valid link is the authority: the person behind it holds no permissions yet, so
    // the owner is created as the system (the request's ip and id still go to the audit).
    const linkCtx: Context = { ...ctx, actor: systemActor('setup link') };
    return this.transactions.run(linkCtx, async (tx) => {
      const now = this.clock.now();
      // Conditional update: of two parallel submissions with one link, one wins.
      const [claimed] = await this.models.SetupToken.update(
        { usedAt: now },
        { where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { [Op.gt]: now } }, transaction: tx.transaction },
      );
      if (claimed !== 1) throw new Gone('This setup link has already been used.');
      const owner = await this.createOwnerAccount(tx, input, password);
      await this.models.SetupToken.update({ usedAt: now }, { where: { usedAt: null }, transaction: tx.transaction });
      return owner;
    });
  }

  /** The CLI's `create-owner` (automation): the same account, without a link. */
  async createOwnerAccount(ctx: Context, input: OwnerInput, password: string): Promise<UserView> {
    return this.transactions.run(ctx, async (tx) => {
      const [givenName, ...rest] = (input.name ?? '').trim().split(/\s+/);
      const owner = await this.users.createOwner(
        tx,
        { displayName: input.name, givenName: givenName || null, familyName: rest.join(' ') || null, email: input.email, username: input.username || undefined },
        password,
      );
      await this.models.SetupToken.update({ usedAt: this.clock.now() }, { where: { usedAt: null }, transaction: tx.transaction });
      await this.audit.record(tx, 'setup.owner_created', {}, { type: 'user', id: owner.id, label: owner.username });
      const organizationName = await this.settings.get('organizationName', tx);
      await this.outbox.enqueue(tx, addressOf(owner), ownerWelcomeMail({ organizationName, name: owner.name, adminUrl: `${this.options.publicUrl}/` }));
      return owner;
    });
  }
}
