// SPEC "Sign-in": throttling kept in the database so it holds across processes.
// Per account: a growing delay after 5 failures (1 s, 2 s, 4 s, … capped at 5 min) and a
// 15-minute lock once 10 failures fall within 15 minutes. Per client IP: 100 failures per
// hour. A success clears the account's failures.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';

const MINUTE = 60_000;
export const THROTTLE = {
  delayAfter: 5,
  lockAfter: 10,
  lockWindowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  maxDelayMs: 5 * MINUTE,
  ipLimit: 100,
  ipWindowMs: 60 * MINUTE,
} as const;

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: 'account_locked' | 'account_delay' | 'ip_limit'; retryAt: Date };

export class SignInThrottle {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async check(accountKey: string, ip: string | null): Promise<ThrottleVerdict> {
    const now = this.clock.now();
    if (ip) {
      const since = new Date(now.getTime() - THROTTLE.ipWindowMs);
      const ipFailures = await this.models.SignInFailure.findAll({ attributes: ['occurredAt'], where: { ip, occurredAt: { [Op.gt]: since } }, order: [['occurredAt', 'ASC']], limit: THROTTLE.ipLimit });
      if (ipFailures.length >= THROTTLE.ipLimit) {
        return { allowed: false, reason: 'ip_limit', retryAt: new Date(ipFailures[0]!.occurredAt.getTime() + THROTTLE.ipWindowMs) };
      }
    }
    const since = new Date(now.getTime() - THROTTLE.lockWindowMs - THROTTLE.lockMs);
    const failures = (
      await this.models.SignInFailure.findAll({ attributes: ['occurredAt'], where: { accountKey, occurredAt: { [Op.gt]: since } }, order: [['occurredAt', 'ASC']] })
    ).map((f) => f.occurredAt.getTime());
    // Locked from the failure that completed 10 within 15 minutes, for 15 minutes.
    for (let i = THROTTLE.lockAfter - 1; i < failures.length; i++) {
      if (failures[i]! - failures[i - (THROTTLE.lockAfter - 1)]! <= THROTTLE.lockWindowMs) {
        const until = failures[i]! + THROTTLE.lockMs;
        if (now.getTime() < until) return { allowed: false, reason: 'account_locked', retryAt: new Date(until) };
      }
    }
    const recent = failures.filter((t) => t > now.getTime() - THROTTLE.lockWindowMs);
    if (recent.length >= THROTTLE.delayAfter) {
      const delay = Math.min(1000 * 2 ** (recent.length - THROTTLE.delayAfter), THROTTLE.maxDelayMs);
      const until = recent[recent.length - 1]! + delay;
      if (now.getTime() < until) return { allowed: false, reason: 'account_delay', retryAt: new Date(until) };
    }
    return { allowed: true };
  }

  async recordFailure(accountKey: string, ip: string | null): Promise<void> {
    await this.models.SignInFailure.create({ accountKey, ip, occurredAt: this.clock.now() });
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.models.SignInFailure.destroy({ where: { accountKey } });
  }
}
