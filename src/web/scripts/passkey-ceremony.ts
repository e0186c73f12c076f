// The passkey ceremony, the one part of the pages that needs JavaScript. A form marked
// `data-passkey="register"` or `"authenticate"` asks `data-passkey-options` (a POST with the
// form's CSRF token) for the options, hands them to @simplewebauthn/browser
// (`/scripts/webauthn.js`, served from this origin as the content security policy asks),
// puts the authenticator's answer in the form's `response` field and submits the form as
// an ordinary POST, so the server answers with a page or a redirect as everywhere else.
// Its button stays hidden without JavaScript; the rest of each page works without it.
import { html, type SafeHtml } from '../../html.js';
import { scriptTag } from './script-tag.js';
import { csrfField } from '../layout.js';

/** Both scripts, in order (deferred scripts run in document order). */
export function passkeyScripts(): SafeHtml {
  return html`${scriptTag('webauthn')}${scriptTag('passkey')}`;
}

export const PASSKEY_SCRIPT = `(function () {
  var lib = window.SimpleWebAuthnBrowser;
  function say(form, text) {
    var box = form.querySelector('[data-passkey-error]');
    if (box) { box.textContent = text; box.hidden = false; }
  }
  document.querySelectorAll('form[data-passkey]:not([data-passkey-ready])').forEach(function (form) {
    form.setAttribute('data-passkey-ready', '');
    var button = form.querySelector('[data-passkey-start]');
    if (!button) return;
    if (!lib || !window.PublicKeyCredential) { say(form, 'This browser cannot use passkeys.'); return; }
    button.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      var body = new URLSearchParams();
      body.set('_csrf', form.elements._csrf.value);
      fetch(form.getAttribute('data-passkey-options'), { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { if (!res.ok) throw new Error('options'); return res.json(); })
        .then(function (options) {
          return form.getAttribute('data-passkey') === 'register'
            ? lib.startRegistration({ optionsJSON: options })
            : lib.startAuthentication({ optionsJSON: options });
        })
        .then(function (answer) {
          form.elements.response.value = JSON.stringify(answer);
          form.submit();
        })
        .catch(function (err) {
          button.disabled = false;
          say(form, err && err.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out. Try again.' : 'The passkey could not be used. Try again.');
        });
    });
  });
})();
`;

export interface PasskeyFormOptions {
  mode: 'register' | 'authenticate';
  /** Where the answer is posted (an ordinary form POST). */
  action: string;
  /** Where the script asks for the ceremony's options. */
  optionsUrl: string;
  csrfToken: string;
  label: string;
  /** Fields shown with the button (a passkey's name). */
  fields?: SafeHtml;
  id?: string;
}

/** A form whose button starts the ceremony; hidden without JavaScript, where a passkey cannot work. */
export function passkeyForm(o: PasskeyFormOptions): SafeHtml {
  return html`<form method="post" action="${o.action}" data-passkey="${o.mode}" data-passkey-options="${o.optionsUrl}"${o.id ? html` id="${o.id}"` : ''} novalidate>
${csrfField(o.csrfToken)}<input type="hidden" name="response" value="">
${o.fields ?? ''}
<p class="error-box" role="alert" data-passkey-error hidden></p>
<button type="submit" data-passkey-start hidden>${o.label}</button>
</form>
<noscript><p class="hint">Passkeys need JavaScript in this browser.</p></noscript>
${passkeyScripts()}`;
}
