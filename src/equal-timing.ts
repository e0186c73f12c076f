// Public forms that must not tell whether an address has an account (registration, the
// forgotten-password form) do the same work on every path — one password hash, one mail —
// but not the same database writes: creating an account costs more than mailing "you
// already have one". So each form's answer waits until it takes as long as its slowest
// path usually does: every path's recent durations are kept, and a faster
// path sleeps the difference (bounded, so one slow moment cannot slow every answer for
// long). `npm run bench:enumeration` measures what is left.
import { setTimeout as sleep } from 'node:timers/promises';

/** A path's pace is the median of its last answers (robust to the odd slow one). */
const WINDOW = 15;
/**
 * A path sets the pace only once it has a few answers, and only while it is recent: one
 * slow answer of a rare path (a first request, a busy moment) must not slow every answer
 * for good.
 */
const MIN_SAMPLES = 3;
const RECENT_MS = 10 * 60_000;

interface PathTimes {
  recent: number[];
  lastAt: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export class EqualTiming {
  private readonly paths = new Map<string, PathTimes>();

  constructor(private readonly maxWaitMs = 250) {}

  /** When a path's work began (a monotonic clock: real time, not the domain's Clock). */
  start(): number {
    return performance.now();
  }

  /** Records the path's duration, then waits until the answer takes as long as the slowest path usually does. */
  async settle(path: string, started: number): Promise<void> {
    const now = performance.now();
    const took = now - started;
    const times = this.paths.get(path) ?? { recent: [], lastAt: now };
    times.recent.push(took);
    if (times.recent.length > WINDOW) times.recent.shift();
    times.lastAt = now;
    this.paths.set(path, times);
    let target = 0;
    for (const p of this.paths.values()) if (p.recent.length >= MIN_SAMPLES && now - p.lastAt < RECENT_MS) target = Math.max(target, median(p.recent));
    const wait = Math.min(target - took, this.maxWaitMs);
    if (wait >= 1) await sleep(wait);
  }
}
