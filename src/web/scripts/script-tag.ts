// Where the pages' scripts are served, and the tag that loads one (deferred: the page is
// usable before it runs).
import { html, type SafeHtml } from '../../html.js';

export const SCRIPTS_PATH = '/scripts';

export function scriptTag(name: string): SafeHtml {
  return html`<script src="${SCRIPTS_PATH}/${name}.js" defer></script>`;
}
