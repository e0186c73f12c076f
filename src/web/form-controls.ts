// Form controls beyond the text `field` of layout.ts: select, checkbox groups, a single
// checkbox and a textarea. Each shows its error beside it and keeps the submitted value.
import { html, type SafeHtml } from '../html.js';

export interface Option {
  value: string;
  label: string;
}

function errorLine(id: string, error?: string): SafeHtml {
  return error ? html`<p class="field-error" id="${id}-error">${error}</p>` : html``;
}

export function select(o: { name: string; label: string; options: Option[]; value?: string | null; error?: string; hint?: string }): SafeHtml {
  const id = `f-${o.name}`;
  return html`<label for="${id}">${o.label}</label>
<select id="${id}" name="${o.name}" ${o.error ? html`class="invalid" aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === (o.value ?? '') ? html`selected` : ''}>${opt.label}</option>`)}
</select>${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}${errorLine(id, o.error)}`;
}

export function checkboxes(o: { name: string; label: string; options: Option[]; checked: readonly string[]; error?: string; hint?: string }): SafeHtml {
  const id = `f-${o.name}`;
  return html`<fieldset id="${id}" class="plain"><legend>${o.label}</legend>
${o.options.map((opt, i) => html`<label class="choice"><input type="checkbox" name="${o.name}" value="${opt.value}" id="${id}-${i}" ${o.checked.includes(opt.value) ? html`checked` : ''}> ${opt.label}</label>`)}
${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}${errorLine(id, o.error)}</fieldset>`;
}

export function checkbox(o: { name: string; label: string; checked: boolean; hint?: string }): SafeHtml {
  const id = `f-${o.name}`;
  return html`<label for="${id}" class="choice"><input type="checkbox" id="${id}" name="${o.name}" value="on" ${o.checked ? html`checked` : ''}> ${o.label}</label>${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}`;
}

export function textarea(o: { name: string; label: string; value?: string | null; error?: string; hint?: string; rows?: number }): SafeHtml {
  const id = `f-${o.name}`;
  return html`<label for="${id}">${o.label}</label>
<textarea id="${id}" name="${o.name}" rows="${String(o.rows ?? 4)}" ${o.error ? html`class="invalid" aria-invalid="true" aria-describedby="${id}-error"` : ''}>${o.value ?? ''}</textarea>
${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}${errorLine(id, o.error)}`;
}

/** Reads a form value that may arrive once or repeated (checkbox groups) as a list. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
