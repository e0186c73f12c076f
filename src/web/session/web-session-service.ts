// Server-side sessions of Gatehouse's own pages (admin and account), created when the
// first-party sign-in through the provider completes. The cookie holds a 256-bit id; the
// database holds its hash. Sessions end after the idle timeout (setting, default 30 min)
// or the absolute lifetime (setting, default 12 h), at sign-out, and when the user is
// deactivated or deleted (this service is one of the AccessRevokers).
import { Op } from 'sequelize';
import { addMs, HOUR_MS, MINUTE_MS, type Clock } from '../../clock.js';
import type { Models } from '../../db/models.js';
import { hashToken, newToken } from '../../ids.js';
import type { SettingsService } from '../../settings/settings-service.js';
import type { AccessRevoker } from '../../users/access-revoker.js';
import type { WebSessionAttributes } from './web-session-model.js';

/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = MINUTE_MS;

export class WebSessionService implements AccessRevoker {
  constructor(
    private readonly models: Models,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  /** `from`: the browser and address, kept (capped, printable) only to show the person where they are signed in. */
  async create(userId: string, idToken: string | null, from: { userAgent?: string | null; ip?: string | null } = {}): Promise<string> {
    const token = newToken();
    const now = this.clock.now();
    const lifetimeHours = await this.settings.get('sessionLifetimeHours');
    await this.models.WebSession.create({
      idHash: hashToken(token), userId, idToken, createdAt: now, lastSeenAt: now, expiresAt: addMs(now, lifetimeHours * HOUR_MS),
      userAgent: printable(from.userAgent, 255), ip: printable(from.ip, 64),
    });
    return token;
  }

  /** The live session for a cookie value, or null (unknown, idle too long, or expired). */
  async find(token: string | undefined): Promise<WebSessionAttributes | null> {
    if (!token) return null;
    // Every page request reads both: at once, the setting as read at most a moment ago.
    const [row, idleMinutes] = await Promise.all([this.models.WebSession.findByPk(hashToken(token)), this.settings.recent('sessionIdleMinutes')]);
    if (!row) return null;
    const now = this.clock.now();
    if (row.expiresAt <= now || row.lastSeenAt.getTime() + idleMinutes * MINUTE_MS <= now.getTime()) {
      await row.destroy();
      return null;
    }
    if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.models.WebSession.update({ lastSeenAt: now }, { where: { idHash: row.idHash } });
    }
    return row.get({ plain: true });
  }

  async destroy(token: string | undefined): Promise<WebSessionAttributes | null> {
    if (!token) return null;
    const row = await this.models.WebSession.findByPk(hashToken(token));
    if (!row) return null;
    await row.destroy();
    return row.get({ plain: true });
  }

  async revokeAll(ctx: Parameters<AccessRevoker['revokeAll']>[0], userId: string): Promise<void> {
    await this.models.WebSession.destroy({ where: { userId }, transaction: ctx.transaction });
  }

  async deleteExpired(): Promise<number> {
    return this.models.WebSession.destroy({ where: { expiresAt: { [Op.lt]: this.clock.now() } } });
  }
}

/** Sent by the client, so anything: printable ASCII only, capped, or nothing. */
function printable(value: string | null | undefined, max: number): string | null {
  const clean = (value ?? '').replace(/[^\x20-\x7e]/g, '').trim().slice(0, max);
  return clean || null;
}
