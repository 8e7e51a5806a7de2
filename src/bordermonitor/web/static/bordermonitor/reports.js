// Review form: a move that needs a comment (request changes, reject) is not sent without one; the server
// refuses it anyway, this only saves a round trip and puts the cursor where the reason goes.
(function () {
  "use strict";
  document.querySelectorAll("[data-review-form]").forEach(function (form) {
    var comment = form.querySelector("textarea[name=comment]");
    var message = form.querySelector("[data-needs-comment-message]");
    form.querySelectorAll("button[data-needs-comment]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (comment && !comment.value.trim()) {
          event.preventDefault();
          if (message) { message.hidden = false; }
          comment.setAttribute("aria-invalid", "true");
          comment.focus();
        }
      });
    });
    if (comment) {
      comment.addEventListener("input", function () {
        if (message && comment.value.trim()) { message.hidden = true; comment.removeAttribute("aria-invalid"); }
      });
    }
  });
})();
