// Filter bars that apply as soon as a choice changes: a form marked `data-auto-submit`
// submits itself on a changed select or checkbox, and on a search field after typing
// pauses. Its Apply button stays for browsers without JavaScript.
export const AUTO_SUBMIT_SCRIPT = `(function () {
  document.querySelectorAll('form[data-auto-submit]:not([data-auto-ready])').forEach(function (form) {
    form.setAttribute('data-auto-ready', '');
    var timer = null;
    function send() { if (form.requestSubmit) form.requestSubmit(); else form.submit(); }
    form.addEventListener('change', function (e) { if (e.target && e.target.type !== 'text') send(); });
    form.addEventListener('input', function (e) {
      if (!e.target || e.target.type !== 'text') return;
      clearTimeout(timer);
      timer = setTimeout(send, 600);
    });
  });
})();
`;
