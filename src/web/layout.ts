// The page frame for server-rendered pages (they work without JavaScript) and the small
// form helpers every page uses: field, error beside it, value kept on error.
//
// Class vocabulary of the shared style sheet (style.ts), for every page's markup:
//   .card              a white box with a border; a page may stack several
//   .table-wrap        wrap every <table> in it (tableWrap(label, table) below): a wide table
//                      scrolls inside its card instead of widening the page; add .stack to
//                      the table (and data-label="Column" on each <td>) to show rows as
//                      stacked cards on phones
//   <details class="menu"><summary>Actions</summary><div class="menu-items">…</div></details>
//                      an actions menu (links and inline forms), opens without JavaScript
//   .badge             a count pill (.badge.neutral: grey); .status status-<name>: a state pill
//   buttons            <button> and <a class="button"> are primary; add .secondary (outlined),
//                      .danger (destructive), .small, or .link (looks like a link)
//   .form-grid         fields in responsive columns (.wide spans all); .form-actions: the row
//                      of buttons under a form (primary first, then Cancel as a.button.secondary)
//   .filters           one compact row of labelled filter controls; .toolbar: a row of actions
//   .page-head         an h1 with its main action on the right
//   .notice .warning .error-box .success   message boxes;  .hint .muted: quiet text
//   dl.facts           label/value pairs (summary cards)
//   <time datetime="ISO" data-local>       a time the console script may restate in the
//                      viewer's own time zone (see time-format.ts)
import { html, raw, type SafeHtml } from '../html.js';
import { STYLE } from './style.js';
import { CONSOLE_SCRIPT_PATH } from './console-script.js';

export interface PageOptions {
  /** Shown above the card, so sign-in and account pages name the organization. */
  organizationName?: string;
  /** Extra markup at the top right (e.g. a sign-out form on the account page). */
  topRight?: SafeHtml;
}

export function page(title: string, body: SafeHtml, options: PageOptions = {}): string {
  const top = options.organizationName || options.topRight
    ? html`<div class="plain-top"><a class="brand" href="/">${options.organizationName ?? ''}</a>${options.topRight ?? ''}</div>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · ${options.organizationName ?? 'Gatehouse'}</title><style>${raw(STYLE)}</style>${consoleScript()}</head>
<body class="plain">${top}<main>${body}</main></body></html>`.value;
}

/** The one script every page may load: small enhancements, each optional (see console-script.ts). */
export function consoleScript(): SafeHtml {
  return html`<script src="${CONSOLE_SCRIPT_PATH}" defer></script>`;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'number' | 'url' | 'datetime-local';
  value?: string | null;
  error?: string;
  hint?: string;
  /** An example inside the empty field (compact filter bars, where a hint would take a line). */
  placeholder?: string;
  autocomplete?: string;
  required?: boolean;
  /** Give a typed password back (after a refusal that was not about the password). */
  keepPassword?: boolean;
}

export function field(o: FieldOptions): SafeHtml {
  const id = `f-${o.name}`;
  // A password comes back only when the caller says so (a refusal that was not about it).
  const keepValue = o.type !== 'password' || o.keepPassword === true;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<label for="${id}">${o.label}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" ${keepValue && o.value ? html`value="${o.value}"` : ''}
 ${o.placeholder ? html`placeholder="${o.placeholder}"` : ''} ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${o.required ? html`required` : ''}
 ${o.error ? html`class="invalid" aria-invalid="true"` : ''} ${described ? html`aria-describedby="${described}"` : ''}>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : ''}`;
}

/**
 * A table that scrolls sideways inside its card when it is wider than the screen. The
 * wrapper is focusable and named, so keyboard users can scroll it too.
 */
export function tableWrap(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${label}">${table}</div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
