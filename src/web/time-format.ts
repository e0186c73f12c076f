// The one way pages show a moment: in the organization's time zone, with the zone named,
// never as raw ISO text. The <time> element keeps the exact instant in `datetime`, so the
// console script may restate it in the viewer's own zone.
import { html, type SafeHtml } from '../html.js';

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

/** The same, as a <time> element the console script may convert to the viewer's zone. */
export function timeHtml(date: Date | null | undefined, timeZone: string): SafeHtml {
  if (!date) return html``;
  return html`<time datetime="${date.toISOString()}" data-local>${timeText(date, timeZone)}</time>`;
}
