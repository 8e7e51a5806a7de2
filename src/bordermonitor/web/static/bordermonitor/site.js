// Signing out removes what the intake form kept on this device (unsaved input, possibly a testimony), so a
// shared or seized phone does not hold it after the person has left.
document.addEventListener("submit", function (event) {
  if (!event.target.matches("form[data-sign-out]")) return;
  try {
    for (let i = window.localStorage.length - 1; i >= 0; i -= 1) {
      const key = window.localStorage.key(i);
      if (key && key.indexOf("bm-intake:") === 0) window.localStorage.removeItem(key);
    }
  } catch (error) {
    // storage unavailable (private mode): nothing was kept
  }
});
