// The page frame for server-rendered pages (they work without JavaScript) and the small
// form helpers every page uses: field, error beside it, value kept on error.
import { html, raw, type SafeHtml } from '../html.js';

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa;line-height:1.5}
main{max-width:720px;margin:40px auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:32px}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-top:16px}
input[type=text],input[type=email],input[type=password],input[type=tel],select,textarea{width:100%;padding:8px;border:1px solid #d0d7de;border-radius:6px;font:inherit}
.hint{color:#57606a;font-size:.875rem;margin:4px 0 0}.field-error{color:#cf222e;font-size:.875rem;margin:4px 0 0}
.invalid{border-color:#cf222e!important}.notice{padding:12px 16px;border-radius:6px;background:#ddf4ff;border:1px solid #54aeff}
.error-box{padding:12px 16px;border-radius:6px;background:#ffebe9;border:1px solid #ff8182}
.warning{padding:12px 16px;border-radius:6px;background:#fff8c5;border:1px solid #d4a72c}
button{margin-top:24px;background:#1f883d;color:#fff;border:0;border-radius:6px;padding:10px 18px;font:inherit;cursor:pointer}
code{background:#f6f8fa;padding:2px 4px;border-radius:4px}`;

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Gatehouse</title><style>${rawStyle()}</style></head>
<body><main>${body}</main></body></html>`.value;
}

function rawStyle(): SafeHtml {
  return raw(STYLE);
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel';
  value?: string | null;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  /** Give a typed password back (after a refusal that was not about the password). */
  keepPassword?: boolean;
}

export function field(o: FieldOptions): SafeHtml {
  const id = `f-${o.name}`;
  // A password comes back only when the caller says so (a refusal that was not about it).
  const keepValue = o.type !== 'password' || o.keepPassword === true;
  return html`<label for="${id}">${o.label}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" ${keepValue && o.value ? html`value="${o.value}"` : ''}
 ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''} ${o.required ? html`required` : ''}
 ${o.error ? html`class="invalid" aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : ''}`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
