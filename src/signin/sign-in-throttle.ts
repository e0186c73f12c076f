// Throttling kept in the database so it holds across processes.
// Per account: a growing delay after 5 failures (1 s, 2 s, 4 s, … capped at 5 min) and a
// 15-minute lock once 10 failures fall within 15 minutes. Per client IP: 100 failures per
// hour. A success clears the account's failures.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import { sqlDate } from '../db/sql.js';

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

// The widths of sign_in_failures' key columns (characters). A longer key (a login typed at
// any length; an address from a misread header) is kept as its SHA-256: still one key per
// value, so the failure is counted, and the insert never outgrows the column.
const ACCOUNT_KEY_MAX = 320;
const IP_MAX = 64;

function fit(value: string, max: number): string;
function fit(value: string | null, max: number): string | null;
function fit(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

export type ThrottleVerdict =
  | { allowed: true; /** The account's failures still on record (a success clears them). */ accountFailures: number }
  | { allowed: false; reason: 'account_locked' | 'account_delay' | 'ip_limit'; retryAt: Date; accountFailures: number };

export class SignInThrottle {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  /** The account's and the IP's recent failures, read together in one statement. */
  async check(rawAccountKey: string, rawIp: string | null): Promise<ThrottleVerdict> {
    const accountKey = fit(rawAccountKey, ACCOUNT_KEY_MAX);
    const ip = fit(rawIp, IP_MAX);
    const now = this.clock.now();
    const accountSince = new Date(now.getTime() - THROTTLE.lockWindowMs - THROTTLE.lockMs);
    const ipSince = new Date(now.getTime() - THROTTLE.ipWindowMs);
    const rows = await this.models.sql.select<{ account_key: string; ip: string | null; occurred_at: Date | string }>(
      'SELECT account_key, ip, occurred_at FROM sign_in_failures WHERE (account_key = ? AND occurred_at > ?) OR (ip = ? AND occurred_at > ?) ORDER BY occurred_at ASC',
      [accountKey, accountSince, ip, ipSince],
    );
    const at = (row: { occurred_at: Date | string }) => sqlDate(row.occurred_at)!.getTime();
    const failures = rows.filter((r) => r.account_key === accountKey && at(r) > accountSince.getTime()).map(at);
    const accountFailures = failures.length;
    if (ip) {
      const ipFailures = rows.filter((r) => r.ip === ip && at(r) > ipSince.getTime()).map(at);
      if (ipFailures.length >= THROTTLE.ipLimit) {
        return { allowed: false, reason: 'ip_limit', retryAt: new Date(ipFailures[0]! + THROTTLE.ipWindowMs), accountFailures };
      }
    }
    // Locked from the failure that completed 10 within 15 minutes, for 15 minutes.
    for (let i = THROTTLE.lockAfter - 1; i < failures.length; i++) {
      if (failures[i]! - failures[i - (THROTTLE.lockAfter - 1)]! <= THROTTLE.lockWindowMs) {
        const until = failures[i]! + THROTTLE.lockMs;
        if (now.getTime() < until) return { allowed: false, reason: 'account_locked', retryAt: new Date(until), accountFailures };
      }
    }
    const recent = failures.filter((t) => t > now.getTime() - THROTTLE.lockWindowMs);
    if (recent.length >= THROTTLE.delayAfter) {
      const delay = Math.min(1000 * 2 ** (recent.length - THROTTLE.delayAfter), THROTTLE.maxDelayMs);
      const until = recent[recent.length - 1]! + delay;
      if (now.getTime() < until) return { allowed: false, reason: 'account_delay', retryAt: new Date(until), accountFailures };
    }
    return { allowed: true, accountFailures };
  }

  async recordFailure(accountKey: string, ip: string | null): Promise<void> {
    await this.models.sql.write('INSERT INTO sign_in_failures (account_key, ip, occurred_at) VALUES (?, ?, ?)', [fit(accountKey, ACCOUNT_KEY_MAX), fit(ip, IP_MAX), this.clock.now()]);
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.models.sql.write('DELETE FROM sign_in_failures WHERE account_key = ?', [fit(accountKey, ACCOUNT_KEY_MAX)]);
  }
}
