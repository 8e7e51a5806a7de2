/* The intake form in the browser: nothing typed is lost, and list fields (chain of states, perpetrators)
   get add/remove/move buttons. What is typed goes to localStorage on every input, and to the server's draft
   (JSON POST with the CSRF header) every few seconds when it changed, and when the page is hidden or left.
   Works on each #intake container, including the ones HTMX swaps in after a step save. */
(function () {
  "use strict";
  var AUTOSAVE_MS = 4000;
  var SKIP = { csrfmiddlewaretoken: 1, intake_token: 1, organisation: 1, version: 1, save: 1, submit: 1 };
  var state = null;

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function forget(key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } }

  function collect(form) {
    var data = {}, counts = {}, listy = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "submit" || el.type === "button") { return; }
      counts[el.name] = (counts[el.name] || 0) + 1;
      if (el.type === "checkbox" || (el.tagName === "SELECT" && el.multiple)) { listy[el.name] = true; }
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || SKIP[name] || el.type === "submit" || el.type === "button") { return; }
      var many = listy[name] || (counts[name] > 1 && el.type !== "radio");
      if (many && !(name in data)) { data[name] = []; }
      if (el.type === "radio") {
        if (!(name in data)) { data[name] = ""; }
        if (el.checked) { data[name] = el.value; }
      } else if (el.type === "checkbox") {
        if (el.checked) { data[name].push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { data[name].push(o.value); });
      } else if (many) {
        data[name].push(el.value);
      } else {
        data[name] = el.value;
      }
    });
    return data;
  }

  function fill(container, form, data) {
    var changed = false, now = collect(form);
    Object.keys(data).forEach(function (name) {
      if (!(name in now) || JSON.stringify(now[name]) === JSON.stringify(data[name])) { return; }
      var value = data[name], els = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      if (Array.isArray(value) && els.length && els[0].type !== "checkbox" && !els[0].multiple) {
        var list = els[0].closest("[data-chain-rows], [data-perpetrator-rows]");
        while (list && form.querySelectorAll('[name="' + CSS.escape(name) + '"]').length < value.length) {
          addRow(list);
        }
        els = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      }
      Array.prototype.forEach.call(els, function (el, i) {
        if (el.type === "checkbox") { el.checked = value.indexOf(el.value) !== -1; }
        else if (el.type === "radio") { el.checked = el.value === value; }
        else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
        } else if (Array.isArray(value)) { el.value = value[i] || ""; }
        else { el.value = value; }
      });
      changed = true;
    });
    if (changed) { form.dispatchEvent(new Event("intake:filled")); }
    return changed;
  }

  function status(container, which) {
    var line = container.querySelector("[data-intake-status]");
    if (!line) { return; }
    line.textContent = line.getAttribute("data-msg-" + which) || "";
    line.classList.toggle("offline", which === "offline");
  }

  function send(keepalive) {
    var s = state;
    if (!s || !s.dirty || !document.body.contains(s.form)) { return; }
    var token = s.form.querySelector("[name=csrfmiddlewaretoken]");
    var body = JSON.stringify({ step: s.step, organisation: s.organisation, data: collect(s.form) });
    s.dirty = false;
    window.fetch(s.url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: body
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      status(s.container, "server");
    }).catch(function () {
      s.dirty = true;
      status(s.container, "offline");
    });
  }

  function remember() {
    var s = state;
    var entry = read(s.key) || { data: {} };
    entry.data = Object.assign(entry.data || {}, collect(s.form));
    entry.savedAt = Date.now();
    entry.step = s.step;
    status(s.container, write(s.key, entry) ? "local" : "offline");
    s.dirty = true;
  }

  /* --- rows of list fields ------------------------------------------------------------------------- */

  function renumber(list) {
    Array.prototype.forEach.call(list.children, function (row, i) {
      Array.prototype.forEach.call(row.querySelectorAll("[id]"), function (el) {
        var label = row.querySelector('label[for="' + el.id + '"]');
        var id = el.id.replace(/_\d+$/, "_" + i);
        if (label) { label.htmlFor = id; }
        el.id = id;
      });
      var label = row.querySelector("label[data-template]");
      if (label) { label.textContent = label.getAttribute("data-template").replace("{n}", String(i + 1)); }
    });
  }

  function addRow(list) {
    var last = list.lastElementChild, row = last.cloneNode(true);
    Array.prototype.forEach.call(row.querySelectorAll("input, select"), function (el) { el.value = ""; });
    list.appendChild(row);
    renumber(list);
    return row;
  }

  function setUpRows(container) {
    Array.prototype.forEach.call(container.querySelectorAll("[data-chain-rows], [data-perpetrator-rows]"), function (list) {
      var box = list.parentNode;
      Array.prototype.forEach.call(box.querySelectorAll("[data-row-add], [data-row-up], [data-row-down], [data-row-remove]"), function (b) { b.hidden = false; });
      box.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button || !box.contains(button)) { return; }
        var row = button.closest("li");
        if (button.hasAttribute("data-row-add")) {
          var fresh = addRow(list);
          var first = fresh.querySelector("input, select");
          if (first) { first.focus(); }
        } else if (button.hasAttribute("data-row-remove") && row) {
          if (list.children.length > 1) { row.remove(); } else {
            Array.prototype.forEach.call(row.querySelectorAll("input, select"), function (el) { el.value = ""; });
          }
        } else if (button.hasAttribute("data-row-up") && row && row.previousElementSibling) {
          list.insertBefore(row, row.previousElementSibling);
        } else if (button.hasAttribute("data-row-down") && row && row.nextElementSibling) {
          list.insertBefore(row.nextElementSibling, row);
        } else { return; }
        renumber(list);
        button.focus();
        remember();
      });
    });
  }

  function setUpViolence(container) {
    Array.prototype.forEach.call(container.querySelectorAll("[data-violence]"), function (box) {
      var check = box.querySelector("input[type=checkbox]"), detail = box.querySelector("[data-violence-detail]");
      var input = detail && detail.querySelector("input, textarea");
      function sync() { detail.hidden = !check.checked && !(input && input.value) && !box.classList.contains("has-error"); }
      if (check && detail) { check.addEventListener("change", sync); box.addEventListener("intake:sync", sync); sync(); }
    });
  }

  /* --- one step container ------------------------------------------------------------------------------- */

  function init(container) {
    if (!container || container.getAttribute("data-ready")) { return; }
    container.setAttribute("data-ready", "1");
    var key = container.getAttribute("data-storage-key");
    var previous = container.getAttribute("data-previous-key");
    var cleared = (container.getAttribute("data-cleared") || "").split(" ").filter(Boolean);
    if (previous && previous !== key) {
      var old = read(previous);
      if (old && old.data) {
        var entry = read(key) || { data: {}, savedAt: old.savedAt };
        entry.data = Object.assign(old.data, entry.data || {});
        write(key, entry);
      }
      forget(previous);
    }
    var local = read(key);
    if (local && cleared.length) {
      cleared.forEach(function (name) { delete local.data[name]; });
      if (Object.keys(local.data).length) { write(key, local); } else { forget(key); local = null; }
    }
    var form = container.querySelector("form[data-intake-form]");
    setUpRows(container);
    setUpViolence(container);
    if (!form) { state = null; return; }
    var serverTime = Math.max(Number(container.getAttribute("data-saved-at")) || 0,
                              Number(container.getAttribute("data-draft-saved-at")) || 0) * 1000;
    if (local && local.data && local.savedAt > serverTime && fill(container, form, local.data)) {
      var notice = container.querySelector("[data-local-restored]");
      if (notice && !container.querySelector("[data-restored]")) { notice.hidden = false; }
      Array.prototype.forEach.call(container.querySelectorAll("[data-violence]"), function (b) {
        b.dispatchEvent(new Event("intake:sync"));
      });
    }
    state = {
      container: container, form: form, key: key, dirty: false,
      url: container.getAttribute("data-autosave-url"),
      step: container.getAttribute("data-step"),
      organisation: container.getAttribute("data-organisation")
    };
    form.addEventListener("input", remember);
    form.addEventListener("change", remember);
    if (local && local.savedAt > serverTime) { state.dirty = true; }
  }

  function initAll() { init(document.getElementById("intake")); }

  window.setInterval(function () { send(false); }, AUTOSAVE_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(true); }
  });
  window.addEventListener("pagehide", function () { send(true); });
  window.addEventListener("online", function () { send(false); });
  document.addEventListener("DOMContentLoaded", initAll);
  document.addEventListener("htmx:beforeRequest", function () { send(false); });
  document.addEventListener("htmx:afterSettle", initAll);
  document.addEventListener("htmx:sendError", function () {
    if (state) { status(state.container, "offline"); }
  });
  document.addEventListener("htmx:responseError", function () {
    if (state) { status(state.container, "offline"); }
  });
  if (document.readyState !== "loading") { initAll(); }
})();
