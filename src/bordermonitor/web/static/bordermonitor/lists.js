// The report list: keep the filter panel open or closed as the person left it (in this tab only), unless
// the page itself opens it (a filter is active or a field has an error).
(() => {
  const panel = document.querySelector("details[data-remember]");
  if (!panel) return;
  const key = "bordermonitor:" + panel.dataset.remember;
  try {
    if (!panel.open && sessionStorage.getItem(key) === "open") panel.open = true;
    panel.addEventListener("toggle", () => sessionStorage.setItem(key, panel.open ? "open" : "closed"));
  } catch (_) {
    // storage refused (private mode): the panel simply starts closed
  }
})();
