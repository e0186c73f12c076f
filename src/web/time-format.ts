// The one way pages show a moment: in the organization's time zone, with the zone named,
// never as raw ISO text. The <time> element keeps the exact instant in `datetime`, so the
// console script may restate it in the viewer's own zone.
import { html, type SafeHtml } from '../html.js';
import { timeText } from '../zoned-time.js';

export { timeText };

/** The same, as a <time> element the console script may convert to the viewer's zone. */
export function timeHtml(date: Date | null | undefined, timeZone: string): SafeHtml {
  if (!date) return html``;
  return html`<time datetime="${date.toISOString()}" data-local>${timeText(date, timeZone)}</time>`;
}
