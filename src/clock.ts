// The one source of "now" for every expiry decision (never the database's NOW(): the
// processes and the database may disagree).
// Tests inject a FakeClock to move time without waiting.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2030-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  advanceHours(hours: number): void {
    this.advance(hours * 3_600_000);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
