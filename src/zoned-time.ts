// Moments in the organization's time zone: shown as text with the zone named, and read
// from and written to a wall-clock date and time (end dates are entered in the zone and
// stored as UTC). Only Intl is used, so every IANA zone the runtime knows works,
// daylight-saving changes included.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  return f;
}

/** "3 Dec 2026, 14:05 Europe/Berlin" — for text (CSV, mail, titles). Empty for no date. */
export function timeText(date: Date | null | undefined, timeZone: string): string {
  if (!date) return '';
  return `${formatter(timeZone).format(date)} ${timeZone}`;
}

const parts = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    parts.set(timeZone, f);
  }
  return f;
}

/** The zone's wall-clock fields at `date`. */
function wallClock(date: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(date).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24, minute: Number(p.minute), second: Number(p.second) };
}

/** How far the zone's clock is ahead of UTC at `date`, in milliseconds. */
function offsetAt(date: Date, timeZone: string): number {
  const w = wallClock(date, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(date.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

/**
 * "2026-12-31T17:00" (a datetime-local field) or "2026-12-31" (end of that day, 23:59) read
 * in `timeZone`, as a UTC instant; an ISO instant with an offset or Z is taken as it is.
 * Null when the text is neither.
 */
export function parseZonedDateTime(text: string, timeZone: string): Date | null {
  const value = text.trim();
  const m = LOCAL.exec(value);
  if (!m) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute] = m[4] === undefined ? [23, 59] : [Number(m[4]), Number(m[5])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(asUtc).getUTCDate() !== day) return null;
  // Two passes settle the offset across a daylight-saving change.
  let guess = asUtc - offsetAt(new Date(asUtc), timeZone);
  guess = asUtc - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** The instant as a datetime-local value ("2026-12-31T17:00") in `timeZone`. */
export function zonedInputValue(date: Date | null | undefined, timeZone: string): string {
  if (!date) return '';
  const w = wallClock(date, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
}
