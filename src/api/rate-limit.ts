// Per-application request limits of the management API: a fixed one-minute window per
// client, counted in this process (a cluster of N processes lets an application send up to
// N times the limit; the limit guards each process, not a billing quota). Answers carry
// the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers): the policy (quota `q`
// per window `w` seconds) and what is left (`r` requests, for `t` more seconds).
import type { Clock } from '../clock.js';

export const RATE_WINDOW_SECONDS = 60;
const POLICY = 'per-application';

export interface RateVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (the Retry-After of a refusal). */
  resetSeconds: number;
}

export class ApiRateLimiter {
  private readonly windows = new Map<string, { startsAt: number; used: number }>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Counts one request of `clientId` and says whether it is within the limit. */
  take(clientId: string): RateVerdict {
    const now = this.clock.now().getTime();
    const windowMs = RATE_WINDOW_SECONDS * 1000;
    let window = this.windows.get(clientId);
    if (!window || now - window.startsAt >= windowMs) {
      if (this.windows.size > 10_000) this.forgetEnded(now, windowMs);
      window = { startsAt: now, used: 0 };
      this.windows.set(clientId, window);
    }
    const allowed = window.used < this.limit;
    if (allowed) window.used++;
    const resetSeconds = Math.max(1, Math.ceil((window.startsAt + windowMs - now) / 1000));
    return {
      allowed,
      resetSeconds,
      headers: {
        'RateLimit-Policy': `"${POLICY}";q=${this.limit};w=${RATE_WINDOW_SECONDS}`,
        RateLimit: `"${POLICY}";r=${this.limit - window.used};t=${resetSeconds}`,
      },
    };
  }

  private forgetEnded(now: number, windowMs: number): void {
    for (const [id, w] of this.windows) if (now - w.startsAt >= windowMs) this.windows.delete(id);
  }
}
