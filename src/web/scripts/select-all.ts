// "Select all" for a list whose rows are picked by checkboxes belonging to one form: a box
// marked `data-select-all="<form id>"` (hidden until this script, served from this
// origin, reveals it) ticks or clears every row of that form, and shows whether all, some
// or none are ticked. Without JavaScript the form's own "all on this page" button does
// the same job.
export const SELECT_ALL_SCRIPT = `(function () {
  document.querySelectorAll('input[data-select-all]:not([data-select-ready])').forEach(function (all) {
    all.setAttribute('data-select-ready', '');
    var formId = all.getAttribute('data-select-all');
    function rows() { return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="ids"][form="' + formId + '"]')); }
    function show() {
      var list = rows(), ticked = list.filter(function (box) { return box.checked; }).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    }
    all.addEventListener('change', function () { rows().forEach(function (box) { box.checked = all.checked; }); show(); });
    document.addEventListener('change', function (e) { if (e.target !== all && e.target && e.target.getAttribute && e.target.getAttribute('form') === formId) show(); });
    var wrapper = all.closest('[hidden]');
    (wrapper || all).removeAttribute('hidden');
    show();
  });
})();
`;
