/**
 * The console's script, served at /assets/console.js: enhancement only, every page works without it.
 * Shows the category choice only when a review corrects, and each UTC time in the reader's own zone on hover.
 */
export const CONSOLE_JS = `
(function () {
  'use strict';
  function syncReviewForm(form) {
    var action = form.querySelector('select[name=action]');
    var category = form.querySelector('.category');
    if (!action || !category) return;
    var update = function () { category.hidden = action.value !== 'correct'; };
    action.addEventListener('change', update);
    update();
  }
  document.querySelectorAll('form.review').forEach(syncReviewForm);
  document.querySelectorAll('time[datetime]').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (!isNaN(d.getTime())) t.title = d.toLocaleString();
  });
})();
`;
