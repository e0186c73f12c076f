// "Copy" beside a value shown once (a shareable invitation link, a SCIM token, a client
// secret). The value is always on the page, selectable by hand: the button is a small
// enhancement that a script served from this origin reveals (the content security policy
// allows scripts from 'self' only), so without JavaScript nothing is missing.
import { html, type SafeHtml } from '../../html.js';
import { scriptTag } from './script-tag.js';

/** The button for the element `targetId` (an input or textarea gives its value, else its text). */
export function copyButton(targetId: string, label = 'Copy'): SafeHtml {
  return html`<button type="button" class="copy-button button-secondary" data-copy="${targetId}" hidden>${label}</button>${scriptTag('copy')}`;
}

export const COPY_SCRIPT = `(function () {
  function textOf(el) { return 'value' in el && typeof el.value === 'string' ? el.value : el.textContent || ''; }
  function fallback(el, text) {
    var area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }
  function copy(el) {
    var text = textOf(el);
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).catch(function () { return fallback(el, text); });
    return fallback(el, text);
  }
  document.querySelectorAll('button[data-copy]:not([data-copy-ready])').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var label = button.textContent;
    button.setAttribute('data-copy-ready', '');
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(target).then(function () { button.textContent = 'Copied'; }, function () { button.textContent = 'Select and copy by hand'; })
        .then(function () { setTimeout(function () { button.textContent = label; }, 2000); });
    });
  });
})();
`;
