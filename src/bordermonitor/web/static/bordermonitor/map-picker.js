/* The map picker of the intake form: tap or click to set the place, which fills the latitude and longitude
   inputs; typing coordinates moves the marker. The base map is the country outlines shipped with the app
   (Natural Earth 110m), so no third-party server is asked anything; a tile server is added only when the
   operator configured one (BORDERMONITOR_TILE_URL). Leaflet is loaded only when a picker is on the page. */
(function () {
  "use strict";
  var loading = null;

  function load(box) {
    if (window.L) { return Promise.resolve(window.L); }
    if (loading) { return loading; }
    function fetchOne(tag, attrs) {
      return new Promise(function (resolve, reject) {
        var el = document.createElement(tag);
        Object.keys(attrs).forEach(function (name) { el[name] = attrs[name]; });
        el.onload = resolve;
        el.onerror = reject;
        document.head.appendChild(el);
      });
    }
    /* the stylesheet first: a map drawn before Leaflet's styles apply is laid out wrongly */
    loading = Promise.all([
      fetchOne("link", { rel: "stylesheet", href: box.getAttribute("data-leaflet-css") }),
      fetchOne("script", { src: box.getAttribute("data-leaflet-js") })
    ]).then(function () { return window.L; }, function (error) { loading = null; throw error; });
    return loading;
  }

  function number(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function round(value) { return Math.round(value * 1e5) / 1e5; }

  function setUp(box, L) {
    var lat = document.getElementById(box.getAttribute("data-lat-input"));
    var lon = document.getElementById(box.getAttribute("data-lon-input"));
    var map = L.map(box, { worldCopyJump: true, attributionControl: true }).setView([44.5, 17], 5);
    var tiles = box.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 18 }).addTo(map); }
    window.fetch(box.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (outlines) {
        L.geoJSON(outlines, { style: { color: "#5b6670", weight: 1, fillColor: "#ffffff", fillOpacity: tiles ? 0 : 1 } })
          .addTo(map).bringToBack();
      })
      .catch(function () { /* the inputs still work without the outlines */ });
    var marker = null;
    function place(latlng, pan) {
      if (!marker) { marker = L.circleMarker(latlng, { radius: 9, color: "#0b5c7a", weight: 3 }).addTo(map); }
      else { marker.setLatLng(latlng); }
      if (pan) { map.setView(latlng, Math.max(map.getZoom(), 8)); }
    }
    function fromInputs(pan) {
      var a = number(lat), b = number(lon);
      if (a !== null && b !== null && a >= -90 && a <= 90 && b >= -180 && b <= 180) { place([a, b], pan); }
      else if (marker) { map.removeLayer(marker); marker = null; }
    }
    map.on("click", function (event) {
      var wrapped = event.latlng.wrap();
      lat.value = String(round(wrapped.lat));
      lon.value = String(round(wrapped.lng));
      [lat, lon].forEach(function (input) { input.dispatchEvent(new Event("input", { bubbles: true })); });
      place(wrapped, false);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () { fromInputs(false); });
      input.addEventListener("change", function () { fromInputs(true); });
    });
    lat.form && lat.form.addEventListener("intake:filled", function () { fromInputs(true); });
    fromInputs(true);
    box.classList.add("ready");
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map-picker]:not([data-map-ready])"), function (box) {
      box.setAttribute("data-map-ready", "1");
      load(box).then(function (L) { setUp(box, L); }).catch(function () { box.removeAttribute("data-map-ready"); });
    });
  }

  document.addEventListener("DOMContentLoaded", initAll);
  document.addEventListener("htmx:afterSettle", initAll);
  if (document.readyState !== "loading") { initAll(); }
})();
