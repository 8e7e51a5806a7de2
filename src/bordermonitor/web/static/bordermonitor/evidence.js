// Evidence panel: upload without leaving the page. The form works without JavaScript (the server answers
// 303 back to the page); with it, the form is sent with fetch and the panel is replaced by the server's
// refreshed panel (the view answers the panel alone to requests marked "HX-Request", as htmx would).
(function () {
  "use strict";
  function enhance(root) {
    root.querySelectorAll("form[data-evidence-upload]").forEach(function (form) {
      if (form.dataset.enhanced) return;
      form.dataset.enhanced = "1";
      form.addEventListener("submit", function (event) {
        if (window.htmx && form.hasAttribute("hx-post")) return;
        event.preventDefault();
        var panel = form.closest("[data-evidence-panel]");
        var button = form.querySelector("button[type=submit]");
        if (panel) panel.setAttribute("aria-busy", "true");
        if (button) button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "HX-Request": "true" },
        })
          .then(function (response) {
            var type = response.headers.get("Content-Type") || "";
            if (type.indexOf("text/html") !== 0) throw new Error("unexpected answer");
            return response.text();
          })
          .then(function (html) {
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var fresh = holder.querySelector("[data-evidence-panel]");
            if (!panel || !fresh) throw new Error("no panel");
            panel.replaceWith(fresh);
            enhance(fresh);
            var focus = fresh.querySelector("[role=alert], [role=status]");
            if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
          })
          .catch(function () {
            form.submit(); // fall back to the plain form post
          });
      });
    });
  }
  function start() { enhance(document); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
